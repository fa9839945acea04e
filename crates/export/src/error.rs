//! Why a document could not be made, in words the person asking can act on.

/// A document that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A row of the figures table does not have one value per indicator.
    #[error(
        "Dòng số liệu của đơn vị «{unit}» có {values} giá trị, trong khi báo cáo có {indicators} chỉ tiêu."
    )]
    RowWidth {
        unit: String,
        values: usize,
        indicators: usize,
    },
    /// The totals row does not have one total per indicator.
    #[error("Dòng tổng cộng có {totals} giá trị, trong khi báo cáo có {indicators} chỉ tiêu.")]
    TotalsWidth { totals: usize, indicators: usize },
    /// A PDF was asked for where LibreOffice is not installed.
    #[error("Không tạo được PDF: máy chủ chưa cài LibreOffice (soffice); hãy tải bản Word (.docx)")]
    NoOffice,
    /// LibreOffice did not make the PDF.
    #[error("Không tạo được PDF bằng LibreOffice: {0}")]
    Pdf(String),
    /// The Word package could not be compressed.
    #[error("Không nén được tệp Word (.docx): {0}")]
    Pack(String),
    /// The Word package itself could not be written.
    #[error("Không tạo được tệp Word (.docx): {0}")]
    Docx(#[from] docx_rs::DocxError),
}
