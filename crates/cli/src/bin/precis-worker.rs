//! `precis-worker`: runs precis's models, the sentence encoder
//! (precis-embed) and the summarisation model (precis-abstractive), for
//! `precis`, which starts it when a stage needs them. It is the only precis
//! binary that loads libtorch. It speaks the protocol of
//! `precis_model::worker` on its standard input and output; nobody needs to
//! run it by hand.

use anyhow::Context;
use precis_abstractive::AbstractiveSummarizer;
use precis_embed::{Embedder, ModelFolder, SentenceTransformer};
use precis_model::worker::{read_request, write_reply, write_vectors, Reply, Request};
use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

const HELP: &str = "precis-worker: runs precis's models for `precis`, which starts it when a \
stage needs sentence vectors or written summaries. It reads requests as JSON lines on stdin \
and answers on stdout (see precis_model::worker); there is nothing to run by hand.";

fn main() -> ExitCode {
    if let Some(argument) = std::env::args().nth(1) {
        return match argument.as_str() {
            "--version" | "-V" => {
                println!("precis-worker {}", env!("CARGO_PKG_VERSION"));
                ExitCode::SUCCESS
            }
            "--help" | "-h" => {
                println!("{HELP}");
                ExitCode::SUCCESS
            }
            other => {
                eprintln!("error: precis-worker takes no arguments (got {other:?})\n\n{HELP}");
                ExitCode::FAILURE
            }
        };
    }
    let input = std::io::stdin().lock();
    let output = BufWriter::new(std::io::stdout().lock());
    match serve(input, output) {
        Ok(()) => ExitCode::SUCCESS,
        // precis reports the stream ending; this says why.
        Err(error) => {
            eprintln!("precis-worker: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The models loaded so far.
#[derive(Default)]
struct Models {
    embedder: Option<SentenceTransformer>,
    writer: Option<AbstractiveSummarizer>,
}

fn serve(mut input: impl BufRead, mut output: impl Write) -> anyhow::Result<()> {
    write_reply(
        &mut output,
        &Reply::Hello {
            embed_code_version: precis_embed::CODE_VERSION.into(),
            abstractive_code_version: precis_abstractive::CODE_VERSION.into(),
        },
    )?;
    output.flush()?;
    let mut models = Models::default();
    while let Some(request) = read_request(&mut input).context("reading a request")? {
        let answered = request.and_then(|request| answer(request, &mut models, &mut output));
        if let Err(message) = answered {
            write_reply(&mut output, &Reply::Error(message))?;
        }
        output.flush().context("writing a reply")?;
    }
    Ok(())
}

/// Answers one request on `output`, or says why it cannot be.
fn answer(request: Request, models: &mut Models, output: &mut impl Write) -> Result<(), String> {
    let reply = match request {
        Request::LoadEmbedder { folder, config } => {
            let folder = ModelFolder::open(folder).map_err(|e| e.to_string())?;
            let embedder =
                SentenceTransformer::load(&folder, &config).map_err(|e| e.to_string())?;
            let info = embedder.info().clone();
            models.embedder = Some(embedder);
            Reply::Embedder(info)
        }
        Request::LoadWriter {
            folder,
            generation,
            device,
        } => {
            let device = precis_embed::device(device)?;
            let writer = AbstractiveSummarizer::load(&folder, &generation, device)
                .map_err(|e| e.to_string())?;
            let description = writer.description(&generation);
            models.writer = Some(writer);
            Reply::Writer(description)
        }
        Request::Device { device } => Reply::Device {
            cuda: precis_embed::device(device)?.is_cuda(),
        },
        Request::Embed { texts, batching } => {
            let embedder = models.embedder.as_ref().ok_or(NOT_LOADED)?;
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            // Progress lines go out as batches finish; a write that fails
            // here fails again, and is reported, at the vectors.
            let vectors = precis_embed::embed_all(embedder, &texts, batching, |done| {
                let _ = write_reply(output, &Reply::Progress(done)).and_then(|()| output.flush());
            })
            .map_err(|e| e.to_string())?;
            write_vectors(output, &vectors, embedder.info().dimension)
                .map_err(|e| format!("writing vectors: {e}"))?;
            return Ok(());
        }
        Request::Summarize { sentences } => {
            let writer = models.writer.as_ref().ok_or(NOT_LOADED)?;
            let sentences: Vec<&str> = sentences.iter().map(String::as_str).collect();
            Reply::Text(writer.summarize(&sentences).map_err(|e| e.to_string())?)
        }
        Request::SummarizeDocument {
            sentences,
            embeddings,
            config,
        } => {
            let writer = models.writer.as_ref().ok_or(NOT_LOADED)?;
            let summary = writer
                .summarize_document(&sentences, embeddings.view()?, &config)
                .map_err(|e| e.to_string())?;
            Reply::Document(summary)
        }
        Request::SummarizeTheme {
            theme,
            members,
            embeddings,
            config,
        } => {
            let writer = models.writer.as_ref().ok_or(NOT_LOADED)?;
            let members: Vec<&_> = members.iter().collect();
            let summary = writer
                .summarize_theme(theme, &members, embeddings.view()?, &config)
                .map_err(|e| e.to_string())?;
            Reply::Theme(summary)
        }
    };
    write_reply(output, &reply).map_err(|e| format!("writing a reply: {e}"))
}

const NOT_LOADED: &str = "the model worker was asked to run a model it has not loaded";
