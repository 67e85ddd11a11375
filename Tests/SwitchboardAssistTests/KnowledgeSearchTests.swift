import Testing

@testable import SwitchboardAssist

@Suite("The agent's knowledge search")
struct KnowledgeSearchTests {
    @Test("the agent's words find the article about them first, with a sentence to read")
    func finds() throws {
        let search = KnowledgeSearch(knowledgeBase: try Fixtures.knowledgeBase())
        let hits = search.search("apple pay google pay add card")
        let first = try #require(hits.first)
        #expect(first.title.lowercased().contains("apple pay") || first.title.lowercased().contains("google pay"))
        #expect(!first.snippet.isEmpty)
        #expect(!first.matched.isEmpty)
        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score }, "best first")
    }

    @Test("function words find nothing; the number of results is bounded")
    func bounds() throws {
        let search = KnowledgeSearch(knowledgeBase: try Fixtures.knowledgeBase())
        #expect(search.search("the and of").isEmpty)
        #expect(search.search("card", limit: 100).count <= KnowledgeSearch.resultsMax)
    }
}
