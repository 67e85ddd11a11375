import Foundation
import SwitchboardBus
import SwitchboardRouting
import SwitchboardWire
import Testing

@testable import SwitchboardSummariser

@Suite("Summariser: publication and snapshots")
struct SummariserBoardTests {
    @Test("a commit publishes one event per changed facet, each with the whole item")
    func commitPublishesFacets() throws {
        let sink = RecordingSink()
        let board = AssistBoard(sink: sink)
        var item = AssistItem(conversationId: "c-1")
        item.intent = AssistItem.Intent(intent: "card_arrival", confidence: 0.9, skill: "cards")
        item.summary = "Dana wants her new card."
        board.commit(item, facets: [.intent, .summary])
        let sent = sink.sent
        #expect(sent.map(\.topic) == ["assist.c-1.intent", "assist.c-1.summary"])
        #expect(sent.map(\.type) == ["assist.intent", "assist.summary"])
        #expect(sent.map(\.seq) == [1, 2])
        #expect(sent.allSatisfy { $0.data["key"] == "assist.c-1" && $0.data["conversationId"] == "c-1" })
        #expect(sent.allSatisfy { $0.data["item"] == item.json })
        #expect(sent[0].data["intent"] == "card_arrival" && sent[0].data["skill"] == "cards")
        #expect(sent[1].data["sentence"] == "Dana wants her new card.")
        board.commit(item, facets: [])
        #expect(sink.sent.count == 2)
    }

    @Test("forgetting publishes item null once")
    func forget() {
        let sink = RecordingSink()
        let board = AssistBoard(sink: sink)
        var item = AssistItem(conversationId: "c-1")
        item.summary = "Dana wants her new card."
        board.commit(item, facets: [.summary])
        board.forget("c-1")
        board.forget("c-1")
        board.forget("c-never")
        let forgotten = sink.sent(ofType: "assist.forgotten")
        #expect(forgotten.count == 1)
        #expect(forgotten.first?.data["item"] == .null)
        #expect(board.count == 0)
    }

    @Test("snapshots taken while many conversations publish equal the events up to their seq", arguments: [11, 29])
    func snapshotsMatchSeqs(seed: UInt64) async throws {
        let sink = RecordingSink()
        let board = AssistBoard(sink: sink)
        let snapshots = await withTaskGroup(of: [Snapshot].self) { group in
            for writer in 0..<8 {
                group.addTask {
                    var random = SplitMix64(seed: seed &+ UInt64(writer))
                    for round in 0..<200 {
                        var item = AssistItem(conversationId: ConversationID("c-\(writer)-\(random.next() % 5)"))
                        item.summary = "round \(round)"
                        if random.next() % 7 == 0 {
                            board.forget(item.conversationId.rawValue)
                        } else {
                            board.commit(item, facets: [.summary])
                        }
                        if round % 50 == 0 { await Task.yield() }
                    }
                    return []
                }
            }
            group.addTask {
                var taken: [Snapshot] = []
                for _ in 0..<40 {
                    taken.append(await board.snapshot(prefix: "assist."))
                    await Task.yield()
                }
                return taken
            }
            var all: [Snapshot] = []
            for await batch in group { all += batch }
            return all
        }
        let events = sink.sent
        #expect(snapshots.count == 40)
        for snapshot in snapshots {
            let seq = snapshot.sequences["assist"] ?? 0
            var replayed: [String: JSON] = [:]
            for event in events where event.seq <= seq {
                guard let key = event.data["key"]?.stringValue else { continue }
                replayed[key] = event.data["item"]?.isNull == false ? event.data["item"] : nil
            }
            var items: [String: JSON] = [:]
            for item in snapshot.items { items[item.key] = try item.value() }
            #expect(items == replayed, "seed \(seed): the snapshot at seq \(seq) differs from the events up to it")
        }
    }
}
