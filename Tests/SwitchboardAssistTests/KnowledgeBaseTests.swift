import Foundation
import Testing

@testable import SwitchboardAssist

@Suite("Knowledge base and intent catalogue")
struct KnowledgeBaseTests {
    @Test("the knowledge base answers every intent of the shipped catalogue, and names no other")
    func coversCatalogue() throws {
        let knowledgeBase = try Fixtures.knowledgeBase()
        let catalog = try Fixtures.catalog()
        #expect(catalog.intents.count == 77)
        #expect(knowledgeBase.coveredIntents == Set(catalog.intents))
    }

    @Test(
        "the knowledge base and the catalogue cover all 77 intents of BANKING77's categories.json",
        .enabled(if: Fixtures.banking77Folder != nil, Comment(rawValue: Fixtures.banking77Missing)))
    func coversBanking77() throws {
        let categories = try #require(try Fixtures.banking77Categories())
        #expect(categories.count == 77)
        #expect(Set(categories).subtracting(try Fixtures.knowledgeBase().coveredIntents).isEmpty)
        #expect(Set(categories) == Set(try Fixtures.catalog().intents))
    }

    @Test("every article has an id, a title, a body and a language; ids are unique")
    func articlesAreComplete() throws {
        let articles = try Fixtures.knowledgeBase().articles
        #expect(Set(articles.map(\.id)).count == articles.count)
        for article in articles {
            #expect(!article.title.isEmpty && article.body.count > 100 && article.language == "en", "\(article.id)")
        }
    }

    @Test("every intent maps to one of a small set of product skills and has replies")
    func catalogueProfiles() throws {
        let catalog = try Fixtures.catalog()
        #expect(
            Set(catalog.skills)
                == [
                    "account", "cards", "cash", "exchange", "payments", "security", "top-ups", "transfers",
                    "verification",
                ])
        for profile in catalog.profiles {
            #expect(profile.replies.count >= 2, "\(profile.intent)")
        }
        #expect(catalog.skill(for: "card_arrival") == "cards")
        #expect(catalog.skill(for: "lost_or_stolen_card") == "security")
    }

    @Test("a confident intent surfaces its article first, with the reason")
    func intentFirst() throws {
        let knowledgeBase = try Fixtures.knowledgeBase()
        let surfaced = knowledgeBase.surface(
            text: "my card never came",
            intents: [
                IntentScore(intent: "card_arrival", probability: 0.9),
                IntentScore(intent: "pin_blocked", probability: 0.05),
            ])
        #expect(surfaced.count == 3)
        #expect(surfaced[0].articleId == "kb-card-delivery")
        #expect(surfaced[0].source == .intent)
        #expect(surfaced[0].reason.contains("card_arrival") && surfaced[0].reason.contains("90%"))
        #expect(surfaced[1].intents.contains("pin_blocked"))
    }

    @Test("when no intent is likely, BM25 over the text fills the places, naming the shared words")
    func textFallback() throws {
        let knowledgeBase = try Fixtures.knowledgeBase()
        let surfaced = knowledgeBase.surface(
            text: "apple wallet on my iphone", intents: [IntentScore(intent: "card_arrival", probability: 0.004)])
        #expect(surfaced.first?.articleId == "kb-mobile-wallets")
        #expect(surfaced.allSatisfy { $0.source == .text })
        #expect(surfaced.first?.reason.contains("\"apple\"") == true)
    }

    @Test("an intent already answered by a chosen article does not take another place")
    func noRedundantArticles() throws {
        let knowledgeBase = try Fixtures.knowledgeBase()
        let surfaced = knowledgeBase.surface(
            text: "card delivery",
            intents: [
                IntentScore(intent: "card_arrival", probability: 0.6),
                IntentScore(intent: "card_delivery_estimate", probability: 0.3),
                IntentScore(intent: "activate_my_card", probability: 0.05),
            ])
        #expect(surfaced.map(\.articleId).prefix(2) == ["kb-card-delivery", "kb-activate-link"])
        #expect(Set(surfaced.map(\.articleId)).count == surfaced.count)
    }

    @Test("a knowledge base with a repeated id is refused")
    func duplicateIds() {
        let json = """
            {"articles": [
              {"id": "a", "title": "A", "body": "b", "intents": ["x"], "language": "en"},
              {"id": "a", "title": "B", "body": "c", "intents": ["y"], "language": "en"}]}
            """
        #expect(throws: AssistError.self) { try KnowledgeBase.parse(json: Data(json.utf8), source: "kb.json") }
    }

    @Test("the stemmer joins plural and tense forms")
    func stemmer() {
        #expect(BM25Index.stem("cards") == BM25Index.stem("card"))
        #expect(BM25Index.stem("charged") == BM25Index.stem("charges"))
        #expect(BM25Index.stem("topping") == BM25Index.stem("top"))
        #expect(BM25Index.stem("verified") == BM25Index.stem("verify"))
        #expect(BM25Index.stem("declined") == BM25Index.stem("decline"))
    }
}
