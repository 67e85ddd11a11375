import SwitchboardServiceKit
import Testing

@Suite("The services' mailbox")
struct MailboxTests {
    @Test("items come out in the order posted, in batches of at most the size asked")
    func order() {
        let mailbox = Mailbox<Int>()
        for number in 1...5 { mailbox.post(number) }
        mailbox.post(contentsOf: [6, 7])
        #expect(mailbox.take(max: 3) == [1, 2, 3])
        #expect(mailbox.take() == [4, 5, 6, 7])
        #expect(mailbox.take().isEmpty)
    }

    @Test("the weight counts what waits, by each item's own weight")
    func weight() {
        let mailbox = Mailbox<[Int]>(weight: { $0.count })
        mailbox.post([1, 2, 3])
        mailbox.post([4])
        #expect(mailbox.weight == 4)
        _ = mailbox.take(max: 1)
        #expect(mailbox.weight == 1)
        _ = mailbox.take()
        #expect(mailbox.weight == 0)
    }

    @Test("closing refuses later posts and hands back what waited; the loop's wake-ups end")
    func close() async {
        let mailbox = Mailbox<String>()
        mailbox.post("a")
        mailbox.post("b")
        #expect(mailbox.close() == ["a", "b"])
        #expect(mailbox.isClosed)
        #expect(mailbox.post("late") == false)
        #expect(mailbox.post(contentsOf: ["later"]) == false)
        #expect(mailbox.take().isEmpty)
        #expect(mailbox.weight == 0)
        // The wake-up of the posts before the close may still be there; then the stream ends.
        var wakeUps = 0
        for await _ in mailbox.wakeUps { wakeUps += 1 }
        #expect(wakeUps <= 1)
    }

    @Test("posts from many tasks all arrive, each once, each poster's in its own order")
    func concurrentPosters() async {
        let mailbox = Mailbox<(poster: Int, number: Int)>()
        await withTaskGroup(of: Void.self) { group in
            for poster in 0..<8 {
                group.addTask { for number in 0..<1_000 { mailbox.post((poster, number)) } }
            }
        }
        let taken = mailbox.take()
        #expect(taken.count == 8_000)
        for poster in 0..<8 {
            #expect(taken.filter { $0.poster == poster }.map(\.number) == Array(0..<1_000))
        }
    }
}
