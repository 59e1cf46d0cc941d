#include "reports/report_xlsx.h"

#include <xlsxwriter.h>

#include "core/clock.h"

namespace vaarta::reports {
namespace {

constexpr int64_t kDayMillis = 24LL * 3600 * 1000;
// Excel counts days from 1899-12-30; the Unix epoch is day 25,569.
constexpr double kExcelUnixEpochDay = 25569.0;

double ExcelIstSerial(int64_t unix_millis) {
  return kExcelUnixEpochDay + static_cast<double>(unix_millis + core::kIstOffsetMillis) /
                                  static_cast<double>(kDayMillis);
}

}  // namespace

struct XlsxReportWriter::State {
  lxw_workbook* workbook = nullptr;
  lxw_format* bold = nullptr;
  lxw_format* when = nullptr;
  lxw_format* percent = nullptr;
  lxw_worksheet* calls = nullptr;
  const ReportLabels* labels = nullptr;
  uint32_t row = 0;  // next row of `calls`
  int sheets = 0;
};

XlsxReportWriter::XlsxReportWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}

XlsxReportWriter::~XlsxReportWriter() {
  if (state_->workbook) workbook_close(state_->workbook);
}

core::Result<std::unique_ptr<XlsxReportWriter>> XlsxReportWriter::Open(const std::string& path,
                                                                       const CallReport& report,
                                                                       const ReportLabels& labels,
                                                                       int64_t generated_at) {
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.use_zip64 = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (!wb) {
    return core::MakeError(core::ErrorCode::kInternal, "cannot create the workbook " + path);
  }
  auto state = std::make_unique<State>();
  state->workbook = wb;
  state->labels = &labels;
  state->bold = workbook_add_format(wb);
  format_set_bold(state->bold);
  state->when = workbook_add_format(wb);
  format_set_num_format(state->when, "yyyy-mm-dd hh:mm");
  state->percent = workbook_add_format(wb);
  format_set_num_format(state->percent, "0.0%");

  lxw_worksheet* ws = workbook_add_worksheet(wb, labels.summary.c_str());
  worksheet_set_column(ws, 0, 0, 28, nullptr);
  worksheet_set_column(ws, 1, 8, 14, nullptr);
  uint32_t r = 0;
  auto text = [&](uint32_t row, uint16_t col, const std::string& s, lxw_format* f = nullptr) {
    worksheet_write_string(ws, row, col, s.c_str(), f);
  };
  auto number = [&](uint32_t row, uint16_t col, double v, lxw_format* f = nullptr) {
    worksheet_write_number(ws, row, col, v, f);
  };
  const ReportFilter& f = report.filter;
  text(r, 0, labels.title, state->bold);
  ++r;
  text(r, 0, labels.period);
  text(r, 1, f.from_day + " – " + f.to_day);
  ++r;
  text(r, 0, labels.campaign);
  text(r, 1, f.campaign_id ? report.campaign_name : labels.all_campaigns);
  ++r;
  text(r, 0, labels.list);
  text(r, 1, f.list_id ? report.list_name : labels.all_leads);
  ++r;
  text(r, 0, labels.generated);
  number(r, 1, ExcelIstSerial(generated_at), state->when);
  r += 2;

  // One header row and one line per campaign / day, the same columns for both.
  auto counts_header = [&](uint32_t row, const std::string& first) {
    const std::string* cols[] = {&first,
                                 &labels.placed,
                                 &labels.answered,
                                 &labels.connect_rate,
                                 &labels.converted,
                                 &labels.callbacks,
                                 &labels.opted_out,
                                 &labels.handed_over,
                                 &labels.talk_minutes};
    for (uint16_t c = 0; c < 9; ++c) text(row, c, *cols[c], state->bold);
  };
  auto counts_row = [&](uint32_t row, const std::string& first, const ReportCounts& c) {
    text(row, 0, first);
    number(row, 1, static_cast<double>(c.placed));
    number(row, 2, static_cast<double>(c.answered));
    number(row, 3, c.placed ? static_cast<double>(c.answered) / c.placed : 0.0, state->percent);
    number(row, 4, static_cast<double>(c.converted));
    number(row, 5, static_cast<double>(c.callbacks));
    number(row, 6, static_cast<double>(c.opted_out));
    number(row, 7, static_cast<double>(c.handed_over));
    number(row, 8, static_cast<double>(c.talk_seconds) / 60.0);
  };
  counts_header(r++, labels.summary);
  counts_row(r++, f.campaign_id ? report.campaign_name : labels.all_campaigns, report.totals);
  ++r;
  text(r++, 0, labels.by_campaign, state->bold);
  counts_header(r++, labels.campaign);
  for (const auto& line : report.by_campaign) counts_row(r++, line.name, line.counts);
  ++r;
  text(r++, 0, labels.by_outcome, state->bold);
  for (const auto& [outcome, count] : report.by_outcome) {
    text(r, 0, OutcomeLabel(labels, outcome));
    number(r, 1, static_cast<double>(count));
    ++r;
  }
  ++r;
  text(r++, 0, labels.by_day, state->bold);
  counts_header(r++, labels.day);
  for (const auto& line : report.by_day) counts_row(r++, line.day, line.counts);

  std::unique_ptr<XlsxReportWriter> writer(new XlsxReportWriter(std::move(state)));
  writer->StartCallsSheet();
  return writer;
}

void XlsxReportWriter::StartCallsSheet() {
  State& s = *state_;
  const ReportLabels& l = *s.labels;
  ++s.sheets;
  std::string name = l.calls;
  if (s.sheets > 1) name += " (" + std::to_string(s.sheets) + ")";
  s.calls = workbook_add_worksheet(s.workbook, name.c_str());
  worksheet_set_column(s.calls, 0, 0, 17, nullptr);
  worksheet_set_column(s.calls, 1, 1, 24, nullptr);
  worksheet_set_column(s.calls, 3, 4, 20, nullptr);
  const std::string* cols[] = {&l.placed_at,    &l.campaign, &l.lead_id, &l.lead,
                               &l.phone,        &l.status,   &l.outcome, &l.answered,
                               &l.talk_seconds, &l.provider};
  for (uint16_t c = 0; c < 10; ++c) {
    worksheet_write_string(s.calls, 0, c, cols[c]->c_str(), s.bold);
  }
  worksheet_freeze_panes(s.calls, 1, 0);
  s.row = 1;
}

void XlsxReportWriter::AddCalls(const std::vector<CallLine>& lines) {
  State& s = *state_;
  for (const CallLine& line : lines) {
    if (s.row >= LXW_ROW_MAX) StartCallsSheet();
    lxw_worksheet* ws = s.calls;
    const uint32_t r = s.row++;
    worksheet_write_number(ws, r, 0, ExcelIstSerial(line.placed_at), s.when);
    worksheet_write_string(ws, r, 1, line.campaign.c_str(), nullptr);
    worksheet_write_number(ws, r, 2, static_cast<double>(line.lead_id), nullptr);
    worksheet_write_string(ws, r, 3, line.lead_name.c_str(), nullptr);
    // Text, not a number: a number would lose the "+" and leading digits' meaning.
    worksheet_write_string(ws, r, 4, line.phone.c_str(), nullptr);
    worksheet_write_string(ws, r, 5, line.status.c_str(), nullptr);
    worksheet_write_string(ws, r, 6, line.outcome.c_str(), nullptr);
    worksheet_write_string(ws, r, 7, line.answered ? "yes" : "no", nullptr);
    worksheet_write_number(ws, r, 8, static_cast<double>(line.talk_seconds), nullptr);
    worksheet_write_string(ws, r, 9, line.provider.c_str(), nullptr);
  }
}

core::Status XlsxReportWriter::Finish() {
  lxw_error error = workbook_close(state_->workbook);
  state_->workbook = nullptr;
  if (error != LXW_NO_ERROR) {
    return core::MakeError(core::ErrorCode::kInternal,
                           std::string("writing the workbook failed: ") + lxw_strerror(error));
  }
  return core::Ok{};
}

}  // namespace vaarta::reports
