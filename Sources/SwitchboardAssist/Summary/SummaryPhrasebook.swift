/// How a summary is worded in one language other than English, and the agents' turns of phrase
/// it recognises there (a first-person perfect reports a step, a near future promises one).
///
/// Templates take `{customer}`, `{need}`, `{words}`, `{steps}`, `{pending}`, `{agent}`, `{target}`,
/// `{question}` and `{next}` where they say so.
struct SummaryPhrasebook: Sendable {
    var language: String
    /// "El cliente", when the transcript does not name the customer.
    var theCustomer: String
    /// "{customer} quiere {need}."
    var wants: String
    /// The customer's need when the intent is unclear: "{customer} pide ayuda: “{words}”."
    var asksInTheirWords: String
    /// The next step when the need is not clear: "averiguar qué necesita el cliente".
    var findOutNeed: String
    /// "Hecho: {steps}."
    var done: String
    var noAgentYet: String
    var nothingDoneYet: String
    /// "Pendiente: {pending}."
    var pending: String
    var pendingClosed: String
    var pendingConfirmed: String
    /// "{target} …{next}"
    var pendingTransferred: String
    var pendingEscalation: String
    /// "la respuesta del cliente a “{question}”"
    var pendingAnswer: String
    /// "la respuesta del cliente al último mensaje de {agent}"
    var pendingReply: String
    var pendingFirstReply: String
    /// "una respuesta de {agent}; después, {next}"
    var pendingAgent: String
    /// "{agent} preguntó “{question}”"
    var askedStep: String
    /// "conversación transferida a {target}"
    var transferredStep: String
    /// "conversación cerrada"
    var closedStep: String
    var escalatedStep: String
    /// "la cola {target}"
    var queueName: String
    var supervisorStep: String
    /// The word joining the last two items of a list.
    var and: String
    /// First-person openings reporting a step, and what replaces them after the agent's name.
    var actionOpeners: [(String, String)]
    /// First-person openings promising a step, and what replaces them after the agent's name.
    var promiseOpeners: [(String, String)]
    /// Second-person words rewritten for a third-person summary (lower-cased keys).
    var thirdPerson: [String: String]
    /// First-person auxiliaries later in a report ("… y he enviado…"), in the third person.
    var firstPersonVerbs: [String: String]
    /// Words that, in an agent's or a platform's line, mean the case went up.
    var escalationMarkers: [String]
    /// What a customer says when the need is met.
    var confirmations: [String]
    /// Words a sentence after a short greeting may start with (to find the action after "Hola Ana,").
    var openers: Set<String>

    static func forLanguage(_ language: String) -> SummaryPhrasebook? {
        switch language {
        case "es": spanish
        case "fr": french
        case "de": german
        default: nil
        }
    }

    static let spanish = SummaryPhrasebook(
        language: "es", theCustomer: "El cliente", wants: "{customer} quiere {need}.",
        asksInTheirWords: "{customer} pide ayuda: \u{201C}{words}\u{201D}.",
        findOutNeed: "averiguar qué necesita el cliente", done: "Hecho: {steps}.",
        noAgentYet: "Ningún agente ha respondido todavía.", nothingDoneYet: "Todavía no se ha hecho nada.",
        pending: "Pendiente: {pending}.", pendingClosed: "nada, la conversación está cerrada",
        pendingConfirmed: "solo cerrar la conversación, el cliente confirma que está resuelto",
        pendingTransferred: "que {target} retome la conversación y {next}",
        pendingEscalation: "la decisión de un supervisor",
        pendingAnswer: "la respuesta del cliente a \u{201C}{question}\u{201D}",
        pendingReply: "la respuesta del cliente al último mensaje de {agent}",
        pendingFirstReply: "la primera respuesta de un agente",
        pendingAgent: "una respuesta del agente; siguiente paso: {next}",
        askedStep: "{agent} preguntó \u{201C}{question}\u{201D}",
        transferredStep: "conversación transferida a {target}",
        closedStep: "conversación cerrada", escalatedStep: "caso escalado", queueName: "la cola {target}",
        supervisorStep: "el supervisor {agent} intervino", and: "y",
        actionOpeners: [
            ("ya le he ", "ya le ha "), ("le he ", "le ha "), ("te he ", "le ha "), ("se lo he ", "se lo ha "),
            ("lo he ", "lo ha "), ("la he ", "la ha "), ("ya he ", "ya ha "), ("he ", "ha "), ("hemos ", "ha "),
        ],
        promiseOpeners: [
            ("le voy a ", "le va a "), ("te voy a ", "le va a "), ("voy a ", "va a "), ("vamos a ", "va a "),
        ],
        thirdPerson: ["tu": "su", "tus": "sus", "te": "le", "ti": "él"],
        firstPersonVerbs: ["he": "ha", "hemos": "ha"],
        escalationMarkers: ["escal"],
        confirmations: [
            "ya funciona", "ya me funciona", "solucionado", "resuelto", "eso es todo", "perfecto, gracias",
            "todo bien ya",
        ],
        openers: ["he", "hemos", "le", "te", "lo", "la", "ya", "voy", "vamos", "se", "su", "¿puede", "¿podría"])

    static let french = SummaryPhrasebook(
        language: "fr", theCustomer: "Le client", wants: "{customer} souhaite {need}.",
        asksInTheirWords: "{customer} demande de l'aide : \u{AB}\u{A0}{words}\u{A0}\u{BB}.",
        findOutNeed: "comprendre ce dont le client a besoin", done: "Fait : {steps}.",
        noAgentYet: "Aucun conseiller n'a encore répondu.", nothingDoneYet: "Rien n'a encore été fait.",
        pending: "En attente : {pending}.", pendingClosed: "rien, la conversation est close",
        pendingConfirmed: "seulement clore la conversation, le client confirme que c'est réglé",
        pendingTransferred: "{target} doit reprendre la conversation et {next}",
        pendingEscalation: "la décision d'un superviseur",
        pendingAnswer: "la réponse du client à \u{AB}\u{A0}{question}\u{A0}\u{BB}",
        pendingReply: "la réponse du client au dernier message de {agent}",
        pendingFirstReply: "la première réponse d'un conseiller",
        pendingAgent: "une réponse du conseiller ; étape suivante : {next}",
        askedStep: "{agent} a demandé \u{AB}\u{A0}{question}\u{A0}\u{BB}",
        transferredStep: "conversation transférée à {target}", closedStep: "conversation close",
        escalatedStep: "dossier escaladé", queueName: "la file {target}",
        supervisorStep: "le superviseur {agent} est intervenu", and: "et",
        actionOpeners: [
            ("je vous ai ", "lui a "), ("je t'ai ", "lui a "), ("j'ai déjà ", "a déjà "), ("j'ai ", "a "),
            ("j\u{2019}ai ", "a "), ("nous avons ", "a "),
        ],
        promiseOpeners: [
            ("je vais vous ", "va lui "), ("je vais ", "va "), ("nous allons vous ", "va lui "),
            ("nous allons ", "va "),
        ],
        thirdPerson: ["vos": "ses", "vous": "lui", "ton": "son", "ta": "sa", "tes": "ses"],
        firstPersonVerbs: ["j'ai": "a", "j\u{2019}ai": "a", "avons": "a"],
        escalationMarkers: ["escalad", "escalier"],
        confirmations: [
            "ça marche", "ça fonctionne", "c'est réglé", "c'est tout", "problème résolu", "tout est bon",
            "ça remarche",
        ],
        openers: ["j'ai", "j\u{2019}ai", "je", "nous", "votre", "pouvez-vous", "pourriez-vous"])

    static let german = SummaryPhrasebook(
        language: "de", theCustomer: "Der Kunde", wants: "{customer} möchte {need}.",
        asksInTheirWords: "{customer} bittet um Hilfe: \u{201E}{words}\u{201C}.",
        findOutNeed: "herausfinden, was der Kunde braucht", done: "Erledigt: {steps}.",
        noAgentYet: "Noch hat kein Agent geantwortet.", nothingDoneYet: "Bisher ist noch nichts geschehen.",
        pending: "Offen: {pending}.", pendingClosed: "nichts, das Gespräch ist abgeschlossen",
        pendingConfirmed: "nur noch das Gespräch abschließen, der Kunde bestätigt die Lösung",
        pendingTransferred: "{target} übernimmt das Gespräch und soll {next}",
        pendingEscalation: "die Entscheidung eines Supervisors",
        pendingAnswer: "die Antwort des Kunden auf \u{201E}{question}\u{201C}",
        pendingReply: "die Antwort des Kunden auf die letzte Nachricht von {agent}",
        pendingFirstReply: "die erste Antwort eines Agenten",
        pendingAgent: "eine Antwort des Agenten; nächster Schritt: {next}",
        askedStep: "{agent} fragte \u{201E}{question}\u{201C}", transferredStep: "Gespräch an {target} übergeben",
        closedStep: "Gespräch abgeschlossen", escalatedStep: "Fall eskaliert", queueName: "die Warteschlange {target}",
        supervisorStep: "Supervisor {agent} hat eingegriffen", and: "und",
        actionOpeners: [("ich habe ", "hat "), ("wir haben ", "hat "), ("habe ", "hat ")],
        promiseOpeners: [("ich werde ", "wird "), ("wir werden ", "wird ")],
        thirdPerson: [
            "ihre": "die", "ihren": "den", "ihrem": "dem", "ihrer": "der", "ihres": "des", "ihr": "das",
            "ihnen": "dem Kunden", "dir": "dem Kunden", "dein": "das", "deine": "die", "deinen": "den",
        ],
        firstPersonVerbs: ["habe": "hat"],
        escalationMarkers: ["eskal"],
        confirmations: [
            "funktioniert wieder", "funktioniert jetzt", "das war alles", "hat geklappt", "passt, danke",
            "problem gelöst",
        ],
        openers: ["ich", "wir", "ihre", "ihr", "können", "könnten", "habe"])
}
