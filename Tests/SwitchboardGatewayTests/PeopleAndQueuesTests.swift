import Foundation
import SwitchboardBus
import SwitchboardGateway
import SwitchboardTopology
import Testing

@Suite("Who signs in, and the queues customers write to")
struct PeopleAndQueuesTests {
    static let centre: ContactCentre = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try! ContactCentre.load(file: root.appendingPathComponent("Topology/contact-centre.yaml").path)
    }()

    @Test("a supervisor's role may supervise, an agent's may not")
    func roles() throws {
        let people = People(contactCentre: Self.centre)
        #expect(try #require(people.person("grace-okafor")).maySupervise)
        #expect(try #require(people.person("emily-clarke")).maySupervise == false)
        #expect(try #require(people.person("priya-raman")).name == "Priya Raman")
        #expect(people.person("nobody") == nil)
    }

    @Test("a customer's line never shows their id; people's ids become their names")
    func displayNames() {
        let people = People(contactCentre: Self.centre)
        #expect(people.displayName(author: "web-3dab946e3fb7de8d", role: "customer") == "Customer")
        #expect(people.displayName(author: "web-3dab946e3fb7de8d", role: "customer", customerName: "Ana") == "Ana")
        #expect(people.displayName(author: "priya-raman", role: "agent") == "Priya Raman")
        #expect(people.displayName(author: "system", role: "system") == "Northwind Bank")
    }

    @Test("a chat page speaks its queue's language; only chat and messaging queues take customers")
    func queues() throws {
        let queues = QueueInfo.all(Self.centre)
        #expect(queues["chat-es"]?.language == "es")
        #expect(queues["chat-fr"]?.language == "fr")
        #expect(queues["chat-de"]?.language == "de")
        #expect(queues["chat-en-cards"]?.language == "en")
        #expect(queues["chat-en-cards"]?.takesCustomers == true)
        #expect(queues["voice-en-general"]?.takesCustomers == false)
        #expect(queues["chat-en-premier"]?.takesCustomers == true)
    }

    @Test("a customer's text is refused naming the field when missing, blank or too long")
    func customerText() throws {
        #expect(throws: GatewayError.self) { try Customers.validate(text: nil) }
        for bad: JSONValueForTest in [.blank, .number, .long] {
            do {
                _ = try Customers.validate(text: bad.json)
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.field == "text")
            }
        }
        #expect(try Customers.validate(text: "My card is blocked") == "My card is blocked")
    }
}

/// Customer texts that must be refused.
enum JSONValueForTest: CustomStringConvertible {
    case blank, number, long

    var json: JSON {
        switch self {
        case .blank: " \n "
        case .number: 42
        case .long: .string(String(repeating: "a", count: Customers.textCharactersMax + 1))
        }
    }

    var description: String { "\(self.json.text.prefix(20))" }
}
