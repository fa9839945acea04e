//! A print-ready PDF of a Word document, made by LibreOffice where the
//! server has it installed. Typesetting a PDF inside the binary would add
//! minutes to the build and tens of megabytes to the binary; LibreOffice
//! lays out the same DOCX a person would print.

use crate::error::ExportError;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a conversion may take before it is given up.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The LibreOffice program, if installed.
pub fn office() -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .flat_map(|dir| [dir.join("soffice"), dir.join("libreoffice")])
        .find(|p| p.is_file())
}

/// Converts a DOCX to PDF.
pub fn docx_to_pdf(docx: &[u8]) -> Result<Vec<u8>, ExportError> {
    let office = office().ok_or(ExportError::NoOffice)?;
    let dir = tempfile::tempdir().map_err(|e| ExportError::Pdf(e.to_string()))?;
    let input = dir.path().join("bao-cao.docx");
    std::fs::write(&input, docx).map_err(|e| ExportError::Pdf(e.to_string()))?;
    // A profile of its own: a second conversion at the same time would
    // otherwise wait on the first one's lock.
    let profile = dir.path().join("profile");
    let mut child = Command::new(office)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| ExportError::Pdf(e.to_string()))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > TIMEOUT => {
                // LibreOffice starts children of its own: end the group.
                let _ = Command::new("kill")
                    .arg("-KILL")
                    .arg(format!("-{}", child.id()))
                    .status();
                let _ = child.wait();
                return Err(ExportError::Pdf(format!("quá {} giây", TIMEOUT.as_secs())));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(ExportError::Pdf(e.to_string())),
        }
    }
    std::fs::read(dir.path().join("bao-cao.pdf"))
        .map_err(|_| ExportError::Pdf("LibreOffice không ghi ra tệp PDF".into()))
}
