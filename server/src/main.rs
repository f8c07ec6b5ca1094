//! `soundings`: serves the app, or runs one command-line task.
use clap::Parser;
use server::cli::{
    create_token, create_user, dkim_records, read_password, Cli, Command, MailCommand,
    TokenCommand, UserCommand,
};
use server::settings::Settings;
use server::startup::{shutdown_signal, Application};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    server::telemetry::init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("soundings: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(settings).await?;
            tracing::info!(address = %app.address()?, "Soundings is listening");
            app.run_until(shutdown_signal()).await
        }
        Command::User {
            action: UserCommand::Create { email, role },
        } => {
            let password = read_password()?;
            create_user(&settings, &email, &role, password).await?;
            println!(
                "Created the {role} account for {}.",
                email.trim().to_lowercase()
            );
            Ok(())
        }
        Command::Token {
            action:
                TokenCommand::Create {
                    name,
                    role,
                    expires_in_days,
                },
        } => {
            println!(
                "{}",
                create_token(&settings, &name, &role, expires_in_days).await?
            );
            Ok(())
        }
        Command::Survey { action } => {
            println!("{}", server::tasks::survey(&settings, action).await?);
            Ok(())
        }
        Command::Contacts { action } => {
            println!("{}", server::tasks::contacts(&settings, action).await?);
            Ok(())
        }
        Command::Mail {
            action: MailCommand::DkimRecord,
        } => {
            print!("{}", dkim_records(&settings)?);
            Ok(())
        }
        Command::Backup { path } => {
            println!(
                "{}",
                server::backup::backup(&settings.database_url, &path).await?
            );
            Ok(())
        }
        Command::Export { action } => {
            use std::io::Write;
            let bytes = server::tasks::export(&settings, action).await?;
            std::io::stdout().write_all(&bytes)?;
            Ok(())
        }
    }
}
