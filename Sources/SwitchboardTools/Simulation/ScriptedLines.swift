/// Short scripted lines, written for the simulator: openings for the languages and product
/// lines that the real English data set does not cover (BANKING77 is English only; the
/// sample bank also sells loans), and the turns of the scripted dialogues in each language.
/// Conversations that open with one of these are counted as "scripted" in the summary.
public enum ScriptedLines {
    /// Openings by language skill, then product skill; `general` when no product line matches.
    public static let openings: [String: [String: [String]]] = [
        "english": [
            "loans": [
                "I'd like to apply for a personal loan of 8,000 pounds to buy a car.",
                "Can you tell me where my loan application stands? I sent the documents last week.",
                "I want to pay off my loan early, is there a fee for that?",
            ],
            "general": [
                "Hello, I need some help with my account please.",
                "Hi, I have a question about something on my statement.",
            ],
        ],
        "spanish": [
            "cards": [
                "Hola, mi tarjeta nueva todavía no ha llegado. ¿Cuándo la recibiré?",
                "Mi tarjeta no funciona en los cajeros desde ayer.",
            ],
            "transfers": [
                "Hice una transferencia hace tres días y el destinatario no la ha recibido.",
                "¿Puedo cancelar una transferencia que envié por error?",
            ],
            "payments": [
                "Hay un cargo en mi cuenta que no reconozco.",
                "Me han cobrado dos veces la misma compra.",
            ],
            "top-ups": ["Intenté recargar con mi tarjeta y la recarga ha fallado."],
            "security": ["Me han robado la tarjeta, necesito bloquearla ya."],
            "general": [
                "Hola, necesito ayuda con mi cuenta, por favor.",
                "Buenos días, tengo una pregunta sobre mi extracto.",
            ],
        ],
        "french": [
            "cards": [
                "Bonjour, ma nouvelle carte n'est toujours pas arrivée.",
                "Ma carte est refusée chez tous les commerçants depuis ce matin.",
            ],
            "transfers": [
                "Mon virement n'est pas arrivé chez le bénéficiaire.",
                "Combien de temps prend un virement vers un autre pays ?",
            ],
            "payments": ["Je vois un paiement que je n'ai pas fait sur mon compte."],
            "exchange": ["Quel taux de change appliquez-vous pour les paiements en dollars ?"],
            "account": ["Je voudrais changer mon adresse postale."],
            "general": [
                "Bonjour, j'ai besoin d'aide avec mon compte.",
                "Bonjour, j'ai une question sur mon relevé.",
            ],
        ],
        "german": [
            "cards": [
                "Hallo, meine neue Karte ist immer noch nicht angekommen.",
                "Meine Karte funktioniert an keinem Geldautomaten.",
            ],
            "transfers": ["Meine Überweisung ist beim Empfänger nicht angekommen."],
            "payments": ["Auf meinem Konto ist eine Zahlung, die ich nicht kenne."],
            "exchange": ["Welchen Wechselkurs bekomme ich beim Bezahlen in Dollar?"],
            "general": [
                "Hallo, ich brauche Hilfe mit meinem Konto.",
                "Guten Tag, ich habe eine Frage zu meinem Kontoauszug.",
            ],
        ],
    ]

    /// The turns of the scripted dialogues, by language skill.
    public struct DialogueLines: Sendable {
        /// The agent's first turn; `{centre}` is replaced by the contact centre's name.
        public var greetings: [String]
        /// The agent says what they are doing.
        public var working: [String]
        /// The customer adds a detail or asks a follow-up.
        public var followUps: [String]
        /// The agent's answer when no reply template of the intent applies.
        public var answers: [String]
        /// The customer is satisfied.
        public var thanks: [String]
        /// The agent's last turn before closing.
        public var closings: [String]
    }

    public static let dialogues: [String: DialogueLines] = [
        "english": DialogueLines(
            greetings: [
                "Hi, thanks for contacting {centre}. I'm looking into this for you now.",
                "Hello, you're through to {centre}. Let me pull up your account.",
            ],
            working: ["Thanks, one moment while I check that.", "Bear with me, I'm checking the details now."],
            followUps: [
                "It's the card ending 4821.", "I already tried that yesterday and nothing changed.",
                "How long will that take?", "Yes, my address is still the same.",
                "Is there a fee for that?",
            ],
            answers: [
                "I've sorted that for you; you'll see the change in the app within the hour.",
                "That's done now. I've also added a note to your account in case you need to contact us again.",
            ],
            thanks: ["That's great, thank you.", "Perfect, that's all I needed.", "Thanks for your help."],
            closings: [
                "You're welcome. Is there anything else I can help with today?",
                "Glad I could help. Have a good day!",
            ]),
        "spanish": DialogueLines(
            greetings: ["Hola, gracias por contactar con {centre}. Lo reviso ahora mismo."],
            working: ["Un momento, por favor, lo estoy comprobando."],
            followUps: ["Es la tarjeta que termina en 4821.", "¿Cuánto tiempo tardará?", "Ya lo intenté ayer."],
            answers: [
                "Ya está resuelto; lo verá en la aplicación en una hora.", "Hecho. He dejado una nota en su cuenta.",
            ],
            thanks: ["Muchas gracias.", "Perfecto, eso es todo."],
            closings: ["De nada. ¿Puedo ayudarle en algo más?", "Que tenga un buen día."]),
        "french": DialogueLines(
            greetings: ["Bonjour, merci d'avoir contacté {centre}. Je regarde cela tout de suite."],
            working: ["Un instant, je vérifie."],
            followUps: ["C'est la carte qui se termine par 4821.", "Combien de temps cela prendra-t-il ?"],
            answers: [
                "C'est réglé ; vous le verrez dans l'application d'ici une heure.",
                "C'est fait, j'ai ajouté une note à votre dossier.",
            ],
            thanks: ["Merci beaucoup.", "Parfait, c'est tout."],
            closings: ["Je vous en prie. Puis-je vous aider pour autre chose ?", "Bonne journée !"]),
        "german": DialogueLines(
            greetings: ["Hallo, danke, dass Sie {centre} kontaktieren. Ich sehe mir das gleich an."],
            working: ["Einen Moment bitte, ich prüfe das."],
            followUps: ["Es ist die Karte mit der Endung 4821.", "Wie lange dauert das?"],
            answers: [
                "Das ist erledigt; Sie sehen es in einer Stunde in der App.",
                "Erledigt, ich habe eine Notiz hinterlegt.",
            ],
            thanks: ["Vielen Dank.", "Perfekt, das war alles."],
            closings: ["Gern geschehen. Kann ich sonst noch helfen?", "Einen schönen Tag noch!"]),
    ]

    /// The lines of `language`, or English ones for a language without a script.
    public static func dialogue(for language: String) -> DialogueLines {
        dialogues[language] ?? dialogues["english"]
            ?? DialogueLines(
                greetings: [], working: [], followUps: [], answers: [], thanks: [], closings: [])
    }

    /// Disposition codes agents choose at the end of wrap-up.
    public static let dispositions = [
        "resolved", "resolved", "resolved", "follow-up", "information-given", "escalated",
    ]
}
