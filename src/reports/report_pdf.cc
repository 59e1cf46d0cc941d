#include "reports/report_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

namespace vaarta::reports {
namespace {

// A4 in points, and the margins.
constexpr double kPageWidth = 595.28;
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 40.0;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kBottom = kPageHeight - kMargin - 20.0;  // room for the footer
// Both families are named so that fontconfig picks the Devanagari face for Devanagari
// text even where its default fallback would choose another.
constexpr const char* kFamily = "Noto Sans, Noto Sans Devanagari";

struct Rgb {
  double r, g, b;
};
constexpr Rgb kInk{0.13, 0.15, 0.18};
constexpr Rgb kMuted{0.42, 0.45, 0.50};
constexpr Rgb kRule{0.85, 0.87, 0.90};
constexpr Rgb kPlaced{0.70, 0.76, 0.84};
constexpr Rgb kAnswered{0.13, 0.55, 0.90};
constexpr Rgb kConverted{0.25, 0.75, 0.34};

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

enum class Align { kLeft, kRight, kCenter };

// The page being drawn and the cursor down it.
class PdfCanvas {
 public:
  PdfCanvas(cairo_t* cr, const ReportLabels& labels, std::string footer)
      : cr_(cr), labels_(labels), footer_(std::move(footer)) {}

  double y() const { return y_; }
  void Advance(double dy) { y_ += dy; }

  // Starts a new page when `height` does not fit below the cursor.
  void Reserve(double height) {
    if (y_ + height <= kBottom) return;
    Footer();
    cairo_show_page(cr_);
    ++page_;
    y_ = kMargin;
  }
  void Finish() { Footer(); }

  // Draws `text` in a box `width` wide at (x, y); returns the height it took.
  double Text(double x, double y, const std::string& text, double size, bool bold, Rgb color,
              double width = 0, Align align = Align::kLeft) {
    PangoLayout* layout = pango_cairo_create_layout(cr_);
    PangoFontDescription* font = pango_font_description_from_string(kFamily);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    if (width > 0) {
      pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
      pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_alignment(layout, align == Align::kRight    ? PANGO_ALIGN_RIGHT
                                         : align == Align::kCenter ? PANGO_ALIGN_CENTER
                                                                   : PANGO_ALIGN_LEFT);
    }
    pango_layout_set_text(layout, text.c_str(), -1);
    int w = 0, h = 0;
    pango_layout_get_pixel_size(layout, &w, &h);
    cairo_set_source_rgb(cr_, color.r, color.g, color.b);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, layout);
    g_object_unref(layout);
    return h;
  }

  void Rect(double x, double y, double w, double h, Rgb color) {
    cairo_set_source_rgb(cr_, color.r, color.g, color.b);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_fill(cr_);
  }

  void Line(double x1, double y1, double x2, double y2, Rgb color, double width = 0.5) {
    cairo_set_source_rgb(cr_, color.r, color.g, color.b);
    cairo_set_line_width(cr_, width);
    cairo_move_to(cr_, x1, y1);
    cairo_line_to(cr_, x2, y2);
    cairo_stroke(cr_);
  }

 private:
  void Footer() {
    const double y = kPageHeight - kMargin - 8;
    Line(kMargin, y - 4, kPageWidth - kMargin, y - 4, kRule);
    Text(kMargin, y, footer_, 7.5, false, kMuted, kContentWidth * 0.7);
    Text(kMargin, y, labels_.page + " " + std::to_string(page_), 7.5, false, kMuted, kContentWidth,
         Align::kRight);
  }

  cairo_t* cr_;
  const ReportLabels& labels_;
  std::string footer_;
  double y_ = kMargin;
  int page_ = 1;
};

std::string Percent(int64_t part, int64_t whole) {
  if (whole == 0) return "–";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(part) / whole);
  return buf;
}

std::string Minutes(int64_t seconds) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(seconds) / 60.0);
  return buf;
}

void DrawHeading(PdfCanvas& c, const std::string& text) {
  c.Reserve(40);
  c.Advance(10);
  c.Advance(c.Text(kMargin, c.y(), text, 12, true, kInk) + 6);
}

void DrawTotals(PdfCanvas& c, const CallReport& r, const ReportLabels& l) {
  const ReportCounts& t = r.totals;
  struct Tile {
    const std::string* label;
    std::string value;
  };
  const Tile tiles[] = {{&l.placed, std::to_string(t.placed)},
                        {&l.answered, std::to_string(t.answered)},
                        {&l.connect_rate, Percent(t.answered, t.placed)},
                        {&l.converted, std::to_string(t.converted)},
                        {&l.callbacks, std::to_string(t.callbacks)},
                        {&l.opted_out, std::to_string(t.opted_out)},
                        {&l.handed_over, std::to_string(t.handed_over)},
                        {&l.talk_minutes, Minutes(t.talk_seconds)}};
  const double w = kContentWidth / 4;
  for (int row = 0; row < 2; ++row) {
    c.Reserve(50);
    double tallest = 0;
    for (int col = 0; col < 4; ++col) {
      const Tile& tile = tiles[row * 4 + col];
      const double x = kMargin + col * w;
      double h = c.Text(x, c.y(), *tile.label, 8.5, false, kMuted, w - 8);
      h += c.Text(x, c.y() + h + 1, tile.value, 16, true, kInk, w - 8);
      tallest = std::max(tallest, h);
    }
    c.Advance(tallest + 10);
  }
}

// Calls per day: placed behind answered behind converted, on one scale.
void DrawDayChart(PdfCanvas& c, const CallReport& r, const ReportLabels& l) {
  DrawHeading(c, l.calls_per_day);
  const double height = 170;
  c.Reserve(height + 40);
  const double top = c.y();
  const double axis = 34;  // room for the y labels
  const double x0 = kMargin + axis;
  const double w = kContentWidth - axis;
  int64_t peak = 1;
  for (const auto& d : r.by_day) peak = std::max(peak, d.counts.placed);
  // A round top for the scale: 1, 2 or 5 times a power of ten.
  double step = std::pow(10.0, std::floor(std::log10(static_cast<double>(peak))));
  double top_value = step;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * step >= static_cast<double>(peak)) {
      top_value = m * step;
      break;
    }
  }
  const double bottom = top + height;
  for (int i = 0; i <= 4; ++i) {
    const double v = top_value * i / 4;
    const double y = bottom - height * i / 4;
    c.Line(x0, y, x0 + w, y, kRule);
    char buf[24];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    c.Text(kMargin, y - 5, buf, 7, false, kMuted, axis - 4, Align::kRight);
  }
  const size_t days = r.by_day.size();
  const double slot = w / static_cast<double>(std::max<size_t>(days, 1));
  const double bar = std::max(0.6, slot * 0.7);
  auto scaled = [&](int64_t v) { return height * static_cast<double>(v) / top_value; };
  const size_t label_every = std::max<size_t>(1, (days + 9) / 10);
  for (size_t i = 0; i < days; ++i) {
    const ReportCounts& d = r.by_day[i].counts;
    const double x = x0 + slot * static_cast<double>(i) + (slot - bar) / 2;
    c.Rect(x, bottom - scaled(d.placed), bar, scaled(d.placed), kPlaced);
    c.Rect(x, bottom - scaled(d.answered), bar, scaled(d.answered), kAnswered);
    c.Rect(x, bottom - scaled(d.converted), bar, scaled(d.converted), kConverted);
    if (i % label_every == 0) {
      c.Text(x0 + slot * static_cast<double>(i) - 10, bottom + 3, r.by_day[i].day.substr(5), 6.5,
             false, kMuted, slot * static_cast<double>(label_every) + 20, Align::kLeft);
    }
  }
  // The legend.
  double lx = x0;
  const double ly = bottom + 16;
  for (auto [label, color] : {std::pair{&l.placed, kPlaced}, std::pair{&l.answered, kAnswered},
                              std::pair{&l.converted, kConverted}}) {
    c.Rect(lx, ly + 2, 8, 8, color);
    c.Text(lx + 11, ly, *label, 8, false, kInk, 110);
    lx += 125;
  }
  c.Advance(height + 34);
}

void DrawOutcomes(PdfCanvas& c, const CallReport& r, const ReportLabels& l) {
  if (r.by_outcome.empty()) return;
  DrawHeading(c, l.by_outcome);
  std::vector<std::pair<std::string, int64_t>> rows(r.by_outcome.begin(), r.by_outcome.end());
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  int64_t total = 0;
  for (const auto& row : rows) total += row.second;
  const double label_w = 130;
  const double count_w = 80;
  const double bar_w = kContentWidth - label_w - count_w;
  const int64_t peak = rows.front().second;
  for (const auto& [outcome, count] : rows) {
    c.Reserve(16);
    c.Text(kMargin, c.y(), OutcomeLabel(l, outcome), 9, false, kInk, label_w - 6);
    const double w = peak ? bar_w * static_cast<double>(count) / static_cast<double>(peak) : 0;
    c.Rect(kMargin + label_w, c.y() + 3, std::max(w, 1.0), 9, kAnswered);
    c.Text(kMargin + label_w + bar_w, c.y(),
           std::to_string(count) + "  (" + Percent(count, total) + ")", 9, false, kInk, count_w,
           Align::kRight);
    c.Advance(16);
  }
}

// A table of count lines (by campaign, by day): header repeated on every page.
void DrawCountsTable(PdfCanvas& c, const std::string& heading, const std::string& first_column,
                     const std::vector<std::pair<std::string, ReportCounts>>& rows,
                     const ReportLabels& l) {
  c.Reserve(100);  // the heading, the column names and a few rows stay together
  DrawHeading(c, heading);
  const double first_w = 150;
  const std::string* headers[] = {&l.placed,    &l.answered,  &l.connect_rate, &l.converted,
                                  &l.callbacks, &l.opted_out, &l.handed_over};
  const double col_w = (kContentWidth - first_w) / 7;
  auto header = [&] {
    double tallest = c.Text(kMargin, c.y(), first_column, 8, true, kMuted, first_w - 6);
    for (int i = 0; i < 7; ++i) {
      tallest = std::max(tallest, c.Text(kMargin + first_w + col_w * i, c.y(), *headers[i], 8, true,
                                         kMuted, col_w - 4, Align::kRight));
    }
    c.Advance(tallest + 3);
    c.Line(kMargin, c.y(), kMargin + kContentWidth, c.y(), kRule);
    c.Advance(3);
  };
  header();
  for (const auto& [name, counts] : rows) {
    if (c.y() + 16 > kBottom) {
      c.Reserve(kBottom);  // a new page
      header();
    }
    const std::string cells[] = {
        std::to_string(counts.placed),           std::to_string(counts.answered),
        Percent(counts.answered, counts.placed), std::to_string(counts.converted),
        std::to_string(counts.callbacks),        std::to_string(counts.opted_out),
        std::to_string(counts.handed_over)};
    double h = c.Text(kMargin, c.y(), name, 9, false, kInk, first_w - 6);
    for (int i = 0; i < 7; ++i) {
      h = std::max(h, c.Text(kMargin + first_w + col_w * i, c.y(), cells[i], 9, false, kInk,
                             col_w - 4, Align::kRight));
    }
    c.Advance(h + 3);
  }
}

}  // namespace

core::Result<std::string> RenderReportPdf(const CallReport& report, const ReportLabels& labels,
                                          int64_t generated_at) {
  std::string out;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(AppendToString, &out, kPageWidth, kPageHeight);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    return core::MakeError(core::ErrorCode::kInternal, "cannot create a PDF surface");
  }
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, labels.title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Vaarta");
  cairo_t* cr = cairo_create(surface);
  const ReportFilter& f = report.filter;
  const std::string scope = (f.campaign_id ? report.campaign_name : labels.all_campaigns) + " · " +
                            (f.list_id ? report.list_name : labels.all_leads);
  {
    PdfCanvas c(cr, labels, labels.title + " · " + f.from_day + " – " + f.to_day);
    c.Advance(c.Text(kMargin, c.y(), labels.title, 20, true, kInk) + 2);
    c.Advance(c.Text(kMargin, c.y(),
                     labels.period + ": " + f.from_day + " – " + f.to_day + "    " + scope, 10,
                     false, kInk, kContentWidth) +
              2);
    c.Advance(c.Text(kMargin, c.y(), labels.generated + ": " + IstDateTime(generated_at) + " IST",
                     8, false, kMuted) +
              12);
    DrawTotals(c, report, labels);
    if (report.totals.placed == 0) {
      c.Advance(c.Text(kMargin, c.y(), labels.no_calls, 11, false, kMuted) + 8);
    }
    DrawDayChart(c, report, labels);
    DrawOutcomes(c, report, labels);
    std::vector<std::pair<std::string, ReportCounts>> rows;
    for (const auto& line : report.by_campaign) rows.emplace_back(line.name, line.counts);
    if (!rows.empty()) DrawCountsTable(c, labels.by_campaign, labels.campaign, rows, labels);
    rows.clear();
    for (const auto& line : report.by_day) rows.emplace_back(line.day, line.counts);
    DrawCountsTable(c, labels.by_day, labels.day, rows, labels);
    c.Finish();
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return core::MakeError(core::ErrorCode::kInternal, std::string("rendering the PDF failed: ") +
                                                           cairo_status_to_string(status));
  }
  return out;
}

}  // namespace vaarta::reports
