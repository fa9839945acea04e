//! `dondoc`: the command line. Thin: each subcommand parses its arguments
//! and calls the same core and store code the service uses.

mod bench;
mod bench_export;
mod bench_import;
mod bench_read;
mod dates;
mod directory;
mod error;
mod export;
mod import;
mod load;
mod remind;
mod serve;
mod show;
mod user;

use clap::error::{ContextKind, ErrorKind};
use clap::{Args, Parser, Subcommand};
use dondoc_core::deadline;
use dondoc_core::plan_file;
use dondoc_store::Store;
use dondoc_store::plans::PlanKey;
use error::{CliError, Result};
use std::process::ExitCode;

/// The reference plan, Kế hoạch 390-KH/TU, shipped in the binary as the demo.
pub(crate) const REFERENCE_PLAN: &str = include_str!("../../../plans/390-KH-TU.json");

/// clap's help in Vietnamese: its own headings ("Commands:", "Options:")
/// are replaced by ours.
const HELP_TEMPLATE: &str =
    "{about}\n\nCách dùng: {usage}\n\nLệnh:\n{subcommands}\n\nTùy chọn:\n{options}\n";
const LEAF_TEMPLATE: &str =
    "{about}\n\nCách dùng: {usage}\n\nTham số và tùy chọn:\n{positionals}\n{options}\n";

/// Writes a line to stdout; a reader that went away (`| head`) is not an error.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}
pub(crate) use out;

#[derive(Parser)]
#[command(
    name = "dondoc",
    about = "dondoc — theo dõi thực hiện kế hoạch: nhiệm vụ, thời hạn, báo cáo",
    help_template = HELP_TEMPLATE,
    override_usage = "dondoc [--db PATH|URL] <LỆNH>",
    subcommand_value_name = "LỆNH",
    disable_help_subcommand = true,
    disable_help_flag = true
)]
struct Cli {
    /// Cơ sở dữ liệu: đường dẫn tệp SQLite hoặc postgres://… (mặc định: $DATABASE_URL, rồi dondoc.db)
    #[arg(long, global = true, value_name = "PATH|URL")]
    db: Option<String>,
    /// In hướng dẫn
    #[arg(short = 'h', long, global = true, action = clap::ArgAction::Help)]
    help: Option<bool>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Chạy dịch vụ web (trang và API JSON)
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc serve [--addr ĐỊA_CHỈ] [--public-url URL] [--trusted-proxy ĐỊA_CHỈ_IP] [--demo] [--today NGÀY]")]
    Serve {
        /// Địa chỉ và cổng lắng nghe
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ĐỊA_CHỈ")]
        addr: String,
        /// Địa chỉ người dùng mở dịch vụ từ bên ngoài (https://… thì cookie chỉ gửi qua HTTPS)
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
        /// Máy chủ trung gian (reverse proxy) được tin: địa chỉ người dùng lấy từ X-Forwarded-For nó gửi
        #[arg(long, value_name = "ĐỊA_CHỈ_IP")]
        trusted_proxy: Option<String>,
        /// Nạp kế hoạch mẫu và tài khoản dùng thử nếu cơ sở dữ liệu còn trống
        #[arg(long)]
        demo: bool,
        /// Cố định ngày "hôm nay" của dịch vụ (cho trình diễn, kiểm thử)
        #[arg(long, value_name = "NGÀY")]
        today: Option<String>,
        /// Gửi thư nhắc việc hằng ngày qua máy chủ SMTP này (MÁY:CỔNG)
        #[arg(long, value_name = "MÁY:CỔNG", requires = "from")]
        smtp: Option<String>,
        /// Địa chỉ gửi thư nhắc việc
        #[arg(long, value_name = "ĐỊA_CHỈ")]
        from: Option<String>,
        /// Giờ gửi thư nhắc việc mỗi ngày, giờ Việt Nam (mặc định 07:00)
        #[arg(long, default_value = "07:00", value_name = "GIỜ:PHÚT")]
        remind_at: String,
    },
    /// Đơn vị: nhập danh sách, địa chỉ và thư nhắc việc
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_value_name = "LỆNH", override_usage = "dondoc unit <LỆNH>")]
    Unit(UnitCmd),
    /// Gửi thư nhắc việc cho từng đơn vị: việc quá hạn và việc đến hạn trong những ngày tới (SMTP)
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc [--db PATH|URL] remind [--today NGÀY] [--days N] --smtp MÁY:CỔNG --from ĐỊA_CHỈ [--dry-run]")]
    Remind {
        /// Ngày "hôm nay" để tính việc quá hạn và đến hạn
        #[arg(long, value_name = "NGÀY")]
        today: Option<String>,
        /// Nhắc việc đến hạn trong bao nhiêu ngày tới
        #[arg(long, default_value_t = 7, value_name = "N")]
        days: u32,
        /// Máy chủ thư (SMTP, không mã hoá), ví dụ 127.0.0.1:25
        #[arg(long, value_name = "MÁY:CỔNG")]
        smtp: Option<String>,
        /// Địa chỉ người gửi, ví dụ dondoc@caobang.gov.vn hoặc "Văn phòng Tỉnh uỷ <vp@caobang.gov.vn>"
        #[arg(long, value_name = "ĐỊA_CHỈ")]
        from: String,
        /// Chỉ in các thư, không gửi
        #[arg(long)]
        dry_run: bool,
    },
    /// Tài khoản: thêm, đổi mật khẩu, liệt kê, nhập danh sách
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_value_name = "LỆNH", override_usage = "dondoc user <LỆNH>")]
    User(UserCmd),
    /// Nạp kế hoạch mẫu 390-KH/TU (chạy lại không nạp hai lần) và in kế hoạch
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc demo [--today NGÀY] [--quiet]")]
    Demo {
        /// Ngày "hôm nay" để tính thời hạn (2025-02-05 hoặc 05/02/2025)
        #[arg(long, value_name = "NGÀY")]
        today: Option<String>,
        /// Chỉ nạp, không in kế hoạch
        #[arg(long)]
        quiet: bool,
    },
    /// Kế hoạch: xem, nạp từ tệp, liệt kê
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_value_name = "LỆNH", override_usage = "dondoc plan <LỆNH>")]
    Plan(PlanCmd),
    /// Thời hạn: đọc cụm từ chỉ thời gian thành quy tắc
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_value_name = "LỆNH", override_usage = "dondoc deadline <LỆNH>")]
    Deadline(DeadlineCmd),
    /// Lịch sự kiện: đặt hoặc dời ngày, liệt kê
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_value_name = "LỆNH", override_usage = "dondoc event <LỆNH>")]
    Event(EventCmd),
    /// Xuất văn bản: báo cáo tổng hợp (Word), sổ theo dõi (Excel), lịch của đơn vị (iCalendar)
    #[command(subcommand, help_template = HELP_TEMPLATE, subcommand_value_name = "LỆNH", override_usage = "dondoc export <LỆNH>")]
    Export(ExportCmd),
    /// Hạn mức tải tệp: mỗi báo cáo và mỗi đơn vị (không nêu gì: in hạn mức hiện tại)
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc quota [--report MB] [--unit MB]")]
    Quota {
        /// Tổng dung lượng tệp của một báo cáo, tính bằng MB
        #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=100_000))]
        report: Option<u64>,
        /// Tổng dung lượng tệp của một đơn vị (mọi báo cáo và nhiệm vụ), tính bằng MB
        #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        unit: Option<u64>,
    },
    /// Nhật ký thay đổi (ai, lúc nào, trước và sau)
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc audit [--limit N]")]
    Audit {
        /// Số dòng nhật ký mới nhất cần in
        #[arg(long, default_value_t = 20, value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
        limit: i64,
    },
    /// Đọc kế hoạch từ văn bản (.txt, .md, .docx; TCVN3, VNI): in bản nháp hoặc lưu sau khi tóm tắt
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc [--db PATH|URL] import TỆP [--json] [--today NGÀY]")]
    Import {
        /// Tệp văn bản của kế hoạch
        #[arg(value_name = "TỆP")]
        file: String,
        /// Chỉ in bản nháp dạng JSON (spec/plan-json.md), không lưu
        #[arg(long)]
        json: bool,
        /// Ngày "hôm nay" để tính thời hạn khi lưu
        #[arg(long, value_name = "NGÀY")]
        today: Option<String>,
    },
    /// Đo thời gian làm từng tài liệu xuất ra (báo cáo tổng hợp, sổ theo dõi, lịch, biểu đồ)
    #[command(name = "bench-export", help_template = LEAF_TEMPLATE, override_usage = "dondoc bench-export [--rounds R]")]
    BenchExport {
        /// Số lần đo mỗi tài liệu
        #[arg(long, default_value_t = 5, value_name = "R")]
        rounds: usize,
    },
    /// Đo tốc độ đọc kế hoạch từ văn bản (trang/giây) ở các dạng tệp
    #[command(name = "bench-import", help_template = LEAF_TEMPLATE, override_usage = "dondoc bench-import [--pages N] [--rounds R]")]
    BenchImport {
        /// Độ dài kế hoạch thử (trang)
        #[arg(long, default_value_t = 300, value_name = "N")]
        pages: usize,
        /// Số lần đo mỗi dạng
        #[arg(long, default_value_t = 5, value_name = "R")]
        rounds: usize,
    },
    /// Đo tải dịch vụ web: yêu cầu/giây, độ trễ, bộ nhớ (chạy máy chủ riêng trên cơ sở dữ liệu tạm)
    #[command(name = "bench-http", help_template = LEAF_TEMPLATE, override_usage = "dondoc bench-http [--connections N] [--seconds S] [--slow-readers N [--server TỆP]]")]
    BenchHttp {
        /// Số kết nối đồng thời
        #[arg(long, default_value_t = 32, value_name = "N")]
        connections: usize,
        /// Thời gian mỗi phép đo (giây)
        #[arg(long, default_value_t = 10.0, value_name = "S")]
        seconds: f64,
        /// Thay vì các phép đo trên: N người cùng tải một tệp 9,5 MB, mỗi người đọc 16 KB mỗi 100 ms; đo bộ nhớ của máy chủ
        #[arg(long, value_name = "N")]
        slow_readers: Option<usize>,
        /// Tệp chạy dondoc dùng làm máy chủ (để so hai bản dựng); mặc định: chính tệp này
        #[arg(long, value_name = "TỆP")]
        server: Option<String>,
    },
    /// Đo chất lượng đọc văn bản thật so với chú giải chuẩn (DIR/gold/*.jsonl): nhiệm vụ, đơn vị, thời hạn
    #[command(name = "bench-read", help_template = LEAF_TEMPLATE, override_usage = "dondoc bench-read THƯ_MỤC")]
    BenchRead {
        /// Thư mục văn bản (.txt), chú giải ở THƯ_MỤC/gold/<tên>.jsonl, văn bản không chú giải ở THƯ_MỤC/unlabelled
        #[arg(value_name = "THƯ_MỤC")]
        dir: String,
    },
    /// Đo tốc độ đọc và giải quy tắc thời hạn
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc bench [--phrases N]")]
    Bench {
        /// Số cụm thời gian sinh ra để đo
        #[arg(long, default_value_t = 200_000, value_name = "N")]
        phrases: usize,
    },
}

#[derive(Subcommand)]
enum PlanCmd {
    /// In kế hoạch với mọi thời hạn đã tính
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc plan show [--json] [--plan SỐ|MÃ [--issuer ĐƠN_VỊ]] [--today NGÀY]")]
    Show {
        /// In dạng JSON (spec/plan-json.md)
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        which: WhichPlan,
    },
    /// Nạp một kế hoạch từ tệp JSON (spec/plan-json.md)
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc plan load TỆP [--today NGÀY]")]
    Load {
        /// Tệp kế hoạch JSON
        #[arg(value_name = "TỆP")]
        file: String,
        /// Ngày "hôm nay" để tính thời hạn
        #[arg(long, value_name = "NGÀY")]
        today: Option<String>,
    },
    /// Liệt kê các kế hoạch đã nạp
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc plan list")]
    List,
}

#[derive(Subcommand)]
enum UserCmd {
    /// Thêm tài khoản (mật khẩu lấy từ --password hoặc một dòng đầu vào chuẩn)
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc user add TÊN --unit ĐƠN_VỊ --role VAI_TRÒ [--name HỌ_TÊN] [--password MẬT_KHẨU]")]
    Add {
        /// Tên đăng nhập
        #[arg(value_name = "TÊN")]
        username: String,
        /// Đơn vị của tài khoản (tên hoặc tên khác)
        #[arg(long, value_name = "ĐƠN_VỊ")]
        unit: String,
        /// quan-tri | chu-tri | can-bo | lanh-dao (hoặc admin | owner | officer | leader)
        #[arg(long, value_name = "VAI_TRÒ")]
        role: String,
        /// Họ và tên
        #[arg(long, value_name = "HỌ_TÊN")]
        name: Option<String>,
        /// Mật khẩu (ít nhất 8 ký tự)
        #[arg(long, value_name = "MẬT_KHẨU")]
        password: Option<String>,
    },
    /// Đổi mật khẩu
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc user passwd TÊN [--password MẬT_KHẨU]")]
    Passwd {
        #[arg(value_name = "TÊN")]
        username: String,
        #[arg(long, value_name = "MẬT_KHẨU")]
        password: Option<String>,
    },
    /// Liệt kê tài khoản
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc user list")]
    List,
    /// Nhập tài khoản từ tệp CSV hoặc XLSX (cột: tên đăng nhập, họ và tên, đơn vị, vai trò, mật khẩu)
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc user import TỆP")]
    Import {
        #[arg(value_name = "TỆP")]
        file: String,
    },
}

#[derive(Subcommand)]
enum UnitCmd {
    /// Nhập đơn vị từ tệp CSV hoặc XLSX (cột: tên đơn vị, đơn vị cấp trên, loại, cấp, tên khác, từ ngày, đến ngày)
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc unit import TỆP")]
    Import {
        #[arg(value_name = "TỆP")]
        file: String,
    },
    /// Xem hoặc đặt địa chỉ thư nhận thư nhắc việc của đơn vị (--email "" để xoá)
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc unit contact TÊN [--email ĐỊA_CHỈ]")]
    Contact {
        /// Tên hoặc tên khác của đơn vị
        #[arg(value_name = "TÊN")]
        name: String,
        /// Địa chỉ thư, ví dụ vanphong@caobang.gov.vn
        #[arg(long, value_name = "ĐỊA_CHỈ")]
        email: Option<String>,
    },
    /// Bật hoặc tắt thư nhắc việc hằng ngày của đơn vị
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc unit reminders TÊN --on|--off")]
    #[command(group = clap::ArgGroup::new("state").required(true).args(["on", "off"]))]
    Reminders {
        /// Tên hoặc tên khác của đơn vị
        #[arg(value_name = "TÊN")]
        name: String,
        /// Bật
        #[arg(long)]
        on: bool,
        /// Tắt
        #[arg(long)]
        off: bool,
    },
}

/// Which plan: a number (with its issuer where two issuers use it) or an
/// id; none when the database holds one plan.
#[derive(Args)]
struct PlanArg {
    /// Số kế hoạch (ví dụ 390-KH/TU) hoặc mã kế hoạch (dondoc plan list); bỏ trống khi cơ sở dữ liệu chỉ có một kế hoạch
    #[arg(long, value_name = "SỐ|MÃ")]
    plan: Option<String>,
    /// Cơ quan ban hành, khi hai cơ quan có kế hoạch cùng số (ví dụ "Huyện uỷ Bảo Lạc")
    #[arg(long, value_name = "ĐƠN_VỊ", requires = "plan")]
    issuer: Option<String>,
}

impl PlanArg {
    fn key(&self) -> Option<PlanKey> {
        self.plan
            .as_deref()
            .map(|p| PlanKey::parse(p, self.issuer.as_deref()))
    }
}

#[derive(Args)]
struct WhichPlan {
    #[command(flatten)]
    plan: PlanArg,
    /// Ngày "hôm nay" để tính thời hạn
    #[arg(long, value_name = "NGÀY")]
    today: Option<String>,
}

#[derive(Subcommand)]
enum DeadlineCmd {
    /// Đọc một cụm từ chỉ thời gian thành quy tắc thời hạn
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc deadline parse [--json] CỤM_TỪ")]
    Parse {
        /// In quy tắc dạng JSON (spec/deadline-rule.md)
        #[arg(long)]
        json: bool,
        /// Cụm từ, ví dụ "chậm nhất 01 tuần trước ngày khai mạc Đại hội"
        #[arg(required = true, num_args = 1.., value_name = "CỤM_TỪ")]
        phrase: Vec<String>,
    },
}

#[derive(Subcommand)]
enum EventCmd {
    /// Đặt hoặc dời ngày của một sự kiện; mọi thời hạn phụ thuộc dời theo
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc event set TÊN --start NGÀY [--end NGÀY] [--today NGÀY]")]
    Set {
        /// Tên, tên khác hoặc mã của sự kiện
        #[arg(value_name = "TÊN")]
        name: String,
        /// Ngày bắt đầu (khai mạc)
        #[arg(long, value_name = "NGÀY")]
        start: String,
        /// Ngày kết thúc (bế mạc); bỏ trống thì giữ nguyên độ dài sự kiện
        #[arg(long, value_name = "NGÀY")]
        end: Option<String>,
        /// Ngày "hôm nay" để tính thời hạn
        #[arg(long, value_name = "NGÀY")]
        today: Option<String>,
    },
    /// Liệt kê các sự kiện và ngày của chúng
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc event list")]
    List,
}

#[derive(Subcommand)]
enum ExportCmd {
    /// Báo cáo tổng hợp kết quả thực hiện kế hoạch (một đợt hoặc toàn bộ), tệp Word theo thể thức văn bản của Đảng
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc export synthesis [--plan SỐ|MÃ [--issuer ĐƠN_VỊ]] [--phase ĐỢT] [--out TỆP.docx] [--today NGÀY]")]
    Synthesis {
        #[command(flatten)]
        plan: PlanArg,
        /// Đợt cần báo cáo, ví dụ "Đợt I" hoặc I (bỏ trống: toàn bộ kế hoạch)
        #[arg(long, value_name = "ĐỢT")]
        phase: Option<String>,
        /// Tệp .docx cần ghi (mặc định: tên theo kế hoạch, đợt và ngày, trong thư mục hiện tại)
        #[arg(long, value_name = "TỆP")]
        out: Option<String>,
        /// Ngày của báo cáo, cũng là ngày tính tình hình thực hiện
        #[arg(long, value_name = "NGÀY")]
        today: Option<String>,
    },
    /// Sổ theo dõi: nhiệm vụ từng đơn vị, tình hình gửi báo cáo, số liệu (tệp Excel)
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc export tracking [--plan SỐ|MÃ [--issuer ĐƠN_VỊ]] [--out TỆP.xlsx] [--today NGÀY]")]
    Tracking {
        #[command(flatten)]
        plan: PlanArg,
        /// Tệp .xlsx cần ghi (mặc định: tên theo kế hoạch và ngày)
        #[arg(long, value_name = "TỆP")]
        out: Option<String>,
        /// Ngày tính tình hình thực hiện
        #[arg(long, value_name = "NGÀY")]
        today: Option<String>,
    },
    /// Lịch của một đơn vị: thời hạn nhiệm vụ và sự kiện (tệp .ics cho Google Calendar, Outlook, điện thoại)
    #[command(help_template = LEAF_TEMPLATE, override_usage = "dondoc export ics --unit ĐƠN_VỊ [--out TỆP.ics|-] [--today NGÀY]")]
    Ics {
        /// Đơn vị (tên hoặc tên khác, viết hoa thường, dấu thanh ở đâu cũng được)
        #[arg(long, value_name = "ĐƠN_VỊ")]
        unit: String,
        /// Tệp .ics cần ghi, hoặc - để in ra đầu ra chuẩn (mặc định: lich-TÊN-ĐƠN-VỊ.ics)
        #[arg(long, value_name = "TỆP")]
        out: Option<String>,
        /// Ngày tính tình hình thực hiện
        #[arg(long, value_name = "NGÀY")]
        today: Option<String>,
    },
}

/// clap's own messages, said in Vietnamese.
fn usage_error(e: &clap::Error) -> String {
    let arg = e
        .get(ContextKind::InvalidArg)
        .map(|v| format!(" «{v}»"))
        .unwrap_or_default();
    let value = e
        .get(ContextKind::InvalidValue)
        .map(|v| format!(" «{v}»"))
        .unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::MissingRequiredArgument => format!("thiếu tham số bắt buộc{arg}"),
        ErrorKind::UnknownArgument => format!("tham số không có{arg}"),
        ErrorKind::InvalidSubcommand => {
            let cmd = e
                .get(ContextKind::InvalidSubcommand)
                .map(|v| format!(" «{v}»"))
                .unwrap_or_default();
            format!("không có lệnh{cmd}")
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "thiếu lệnh".to_string()
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("giá trị không hợp lệ{value} cho{arg}")
        }
        ErrorKind::TooManyValues | ErrorKind::ArgumentConflict => {
            format!("tham số thừa hoặc xung đột{arg}{value}")
        }
        _ => "lời gọi không đúng".to_string(),
    };
    format!("{what} (xem «dondoc --help»)")
}

fn db_url(flag: Option<String>) -> String {
    flag.or_else(|| std::env::var("DATABASE_URL").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "dondoc.db".to_string())
}

fn actor() -> String {
    let who = std::env::var("USER").unwrap_or_else(|_| "không rõ".into());
    format!("dòng lệnh ({who})")
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("dondoc: {}", usage_error(&e));
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("dondoc: không khởi động được: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Errors repeat names and phrases as given; they must not drive
            // the terminal either.
            eprintln!("dondoc: {}", show::visible_lines(&e.to_string()));
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

async fn open(db: Option<String>) -> Result<Store> {
    Ok(Store::open(&db_url(db)).await?)
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve {
            addr,
            public_url,
            trusted_proxy,
            demo,
            today,
            smtp,
            from,
            remind_at,
        } => {
            let clock = dondoc_web::Clock {
                fixed: today.as_deref().map(dates::parse).transpose()?,
            };
            if let (Some(smtp), Some(from)) = (smtp, from) {
                let store = open(cli.db.clone()).await?;
                remind::daily(store, clock, smtp, from, &remind_at)?;
            }
            let store = open(cli.db).await?;
            let public_url = public_url.as_deref().map(serve::public_url).transpose()?;
            let trusted_proxy = trusted_proxy
                .as_deref()
                .map(|a| {
                    a.trim().parse::<std::net::IpAddr>().map_err(|_| {
                        CliError::Usage(format!(
                            "--trusted-proxy «{a}» không phải địa chỉ IP (ví dụ 127.0.0.1)"
                        ))
                    })
                })
                .transpose()?;
            serve::run(store, &addr, public_url, trusted_proxy, demo, clock).await?;
        }
        Command::Unit(UnitCmd::Import { file }) => {
            let store = open(cli.db).await?;
            directory::import_units(&store, &file).await?;
            store.close().await;
        }
        Command::Unit(UnitCmd::Contact { name, email }) => {
            let store = open(cli.db).await?;
            remind::contact(&store, &name, email.as_deref(), &actor()).await?;
            store.close().await;
        }
        Command::Unit(UnitCmd::Reminders { name, on, .. }) => {
            let store = open(cli.db).await?;
            remind::reminders(&store, &name, on, &actor()).await?;
            store.close().await;
        }
        Command::Remind {
            today,
            days,
            smtp,
            from,
            dry_run,
        } => {
            let today = dates::today_or(today.as_deref())?;
            let store = open(cli.db).await?;
            let sent = remind::run(
                &store,
                remind::Options {
                    today,
                    days,
                    smtp,
                    from,
                    dry_run,
                },
            )
            .await;
            store.close().await;
            sent?;
        }
        Command::User(cmd) => {
            let store = open(cli.db).await?;
            match cmd {
                UserCmd::Add {
                    username,
                    unit,
                    role,
                    name,
                    password,
                } => user::add(&store, &username, &unit, &role, name.as_deref(), password).await?,
                UserCmd::Passwd { username, password } => {
                    user::passwd(&store, &username, password).await?
                }
                UserCmd::List => user::list(&store).await?,
                UserCmd::Import { file } => directory::import_users(&store, &file).await?,
            }
            store.close().await;
        }
        Command::Demo { today, quiet } => {
            let today = dates::today_or(today.as_deref())?;
            let doc = plan_file::read(REFERENCE_PLAN)?;
            let store = open(cli.db).await?;
            if store.has_plan(&doc.issuer, &doc.number).await? {
                out!("Kế hoạch mẫu {} đã có trong cơ sở dữ liệu.", doc.number);
            } else {
                let l = store.load_plan(&doc, &actor(), today).await?;
                out!(
                    "Đã nạp kế hoạch mẫu {}: {} đợt, {} nhiệm vụ ({} lượt giao cho đơn vị), {} báo cáo, {} sự kiện, {} đơn vị.",
                    l.number,
                    l.phases,
                    l.tasks,
                    l.assignments,
                    l.reporting,
                    l.events,
                    l.units
                );
                print_unlinked(&l.unlinked_events);
            }
            if !quiet {
                out!("");
                out!(
                    "{}",
                    show::plan(
                        &store
                            .plan(Some(&PlanKey::number(&doc.number)), today)
                            .await?
                    )
                );
            }
            store.close().await;
        }
        Command::Plan(PlanCmd::Show { json, which }) => {
            let today = dates::today_or(which.today.as_deref())?;
            let store = open(cli.db).await?;
            let doc = store.plan(which.plan.key().as_ref(), today).await?;
            if json {
                let text = serde_json::to_string_pretty(&doc)
                    .map_err(|e| CliError::Usage(format!("không ghi được JSON: {e}")))?;
                out!("{text}");
            } else {
                out!("{}", show::plan(&doc));
            }
            store.close().await;
        }
        Command::Plan(PlanCmd::Load { file, today }) => {
            let today = dates::today_or(today.as_deref())?;
            let text = std::fs::read_to_string(&file).map_err(|cause| CliError::File {
                path: file.clone(),
                cause,
            })?;
            let doc = plan_file::read(&text)?;
            let store = open(cli.db).await?;
            let l = store.load_plan(&doc, &actor(), today).await?;
            out!(
                "Đã nạp kế hoạch {}: {} đợt, {} nhiệm vụ ({} lượt giao), {} báo cáo.",
                l.number,
                l.phases,
                l.tasks,
                l.assignments,
                l.reporting
            );
            print_unlinked(&l.unlinked_events);
            store.close().await;
        }
        Command::Plan(PlanCmd::List) => {
            let store = open(cli.db).await?;
            let plans = store.plans().await?;
            if plans.is_empty() {
                out!("Chưa có kế hoạch nào.");
            }
            // Tab-separated: the id, then what names a plan (number and issuer).
            for p in plans {
                out!(
                    "{}\t{}\t{}\t{}",
                    p.plan_id,
                    p.number,
                    show::visible(&p.issuer),
                    show::visible(&p.title)
                );
            }
            store.close().await;
        }
        Command::Deadline(DeadlineCmd::Parse { json, phrase }) => {
            let phrase = phrase.join(" ");
            let rule = deadline::parse(&phrase)?;
            if json {
                out!(
                    "{}",
                    serde_json::to_string(&rule).map_err(|e| CliError::Usage(e.to_string()))?
                );
            } else {
                out!("{}", deadline::describe(&rule));
            }
        }
        Command::Event(EventCmd::Set {
            name,
            start,
            end,
            today,
        }) => {
            let today = dates::today_or(today.as_deref())?;
            let start = dates::parse(&start)?;
            let end = end.as_deref().map(dates::parse).transpose()?;
            let store = open(cli.db).await?;
            let moved = store
                .set_event(&name, Some(start), end, &actor(), today)
                .await?;
            let when = show::event_dates;
            out!(
                "{} ({}): {} → {}",
                show::visible(&moved.event.name),
                show::visible(&moved.event.id),
                when(&moved.before.0, &moved.before.1),
                when(&moved.event.start, &moved.event.end)
            );
            out!("{} thời hạn thay đổi:", moved.changes.len());
            for c in &moved.changes {
                let text = |ds: &[dondoc_core::due::Due]| {
                    ds.iter().map(show::due_text).collect::<Vec<_>>().join("; ")
                };
                out!(
                    "  {}: {} → {}",
                    show::visible(&c.label),
                    text(&c.before),
                    text(&c.after)
                );
            }
            store.close().await;
        }
        Command::Event(EventCmd::List) => {
            let store = open(cli.db).await?;
            for e in store.events().await? {
                out!("{}", show::event_line(&e));
            }
            store.close().await;
        }
        Command::Export(cmd) => {
            // A mistyped date is said before the database is opened.
            let (ExportCmd::Synthesis { today, .. }
            | ExportCmd::Tracking { today, .. }
            | ExportCmd::Ics { today, .. }) = &cmd;
            let today = dates::today_or(today.as_deref())?;
            let store = open(cli.db).await?;
            match cmd {
                ExportCmd::Synthesis {
                    plan, phase, out, ..
                } => {
                    export::synthesis(
                        &store,
                        plan.key().as_ref(),
                        phase.as_deref(),
                        out.as_deref(),
                        today,
                    )
                    .await?
                }
                ExportCmd::Tracking { plan, out, .. } => {
                    export::tracking(&store, plan.key().as_ref(), out.as_deref(), today).await?
                }
                ExportCmd::Ics { unit, out, .. } => {
                    export::calendar(&store, &unit, out.as_deref(), today).await?
                }
            }
            store.close().await;
        }
        Command::Quota { report, unit } => {
            const MB: u64 = 1024 * 1024;
            let store = open(cli.db).await?;
            let q = if report.is_none() && unit.is_none() {
                store.quota().await?
            } else {
                store
                    .set_quota(report.map(|r| r * MB), unit.map(|u| u * MB), &actor())
                    .await?
            };
            out!(
                "Hạn mức tải tệp: {} mỗi báo cáo, {} mỗi đơn vị.",
                dondoc_core::text::size_text(q.per_report),
                dondoc_core::text::size_text(q.per_unit)
            );
            store.close().await;
        }
        Command::Audit { limit } => {
            let store = open(cli.db).await?;
            for a in store.audit(limit).await? {
                out!(
                    "{}  {}  {} {} {}  trước: {}  sau: {}",
                    a.at,
                    a.actor,
                    a.action,
                    a.entity,
                    a.entity_id,
                    a.before.as_deref().unwrap_or("—"),
                    a.after.as_deref().unwrap_or("—")
                );
            }
            store.close().await;
        }
        Command::Import { file, json, today } => {
            let explicit_db =
                cli.db.is_some() || std::env::var("DATABASE_URL").is_ok_and(|s| !s.is_empty());
            if json {
                let store = if explicit_db {
                    Some(open(cli.db).await?)
                } else {
                    None
                };
                import::print_json(store.as_ref(), &file).await?;
                if let Some(s) = store {
                    s.close().await;
                }
            } else {
                let today = dates::today_or(today.as_deref())?;
                let store = open(cli.db).await?;
                import::store(&store, &file, today, &actor()).await?;
                store.close().await;
            }
        }
        Command::Bench { phrases } => bench::run(phrases),
        Command::BenchImport { pages, rounds } => bench_import::run(pages, rounds)?,
        Command::BenchExport { rounds } => bench_export::run(rounds).await?,
        Command::BenchRead { dir } => bench_read::run(&dir)?,
        Command::BenchHttp {
            seconds,
            slow_readers: Some(readers),
            server,
            ..
        } => load::run_slow_readers(readers.max(1), seconds.max(1.0), server.as_deref()).await?,
        Command::BenchHttp {
            connections,
            seconds,
            ..
        } => load::run(connections.max(1), seconds.max(1.0)).await?,
    }
    Ok(())
}

pub(crate) fn print_unlinked(names: &[String]) {
    if !names.is_empty() {
        out!(
            "Chưa gắn với sự kiện nào trong lịch (thời hạn sẽ chờ đến khi gắn): {}",
            show::visible(&names.join("; "))
        );
    }
}
