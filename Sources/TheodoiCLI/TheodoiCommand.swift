import ArgumentParser

/// `theodoi`: the root command. Subcommands validate their input, then call one operation.
public struct TheodoiCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "theodoi",
        abstract: "Theo dõi, đôn đốc việc thực hiện các nhiệm vụ được giao trong một quyết định.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, CatalogCommand.self, DemoCommand.self, UserCommand.self, AuditCommand.self,
            ExportCommand.self, ReportCommand.self, SendRemindersCommand.self, DoctorCommand.self, BackupCommand.self,
            RestoreCommand.self, CopyDataCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )

    public init() {}
}

/// `theodoi catalog …`: task catalogues.
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Danh mục nhiệm vụ: đọc và kiểm tra.",
        subcommands: [CatalogParseCommand.self, CatalogImportCommand.self]
    )
}

/// The entry point the executable calls, so that only this module imports ArgumentParser.
public enum TheodoiMain {
    /// Parses the process arguments and runs the command; exits the process with its status.
    public static func run() async {
        await TheodoiCommand.main()
    }
}
