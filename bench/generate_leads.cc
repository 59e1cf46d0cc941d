// Generates a realistic lead file for the import benchmark, deterministically:
//   generate_leads ROWS OUT.csv DND_OUT.txt [SEED]
// Phone numbers come in the formats people type (+91 98xxx xxxxx, 098..., 91-..., with
// dots and brackets), names in English and Devanagari; 5% of rows are invalid (too
// short, letters, Excel scientific notation, toll-free), 5% repeat an earlier number,
// and 10% of the numbers are written to DND_OUT.txt as registry entries.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: generate_leads ROWS OUT.csv DND_OUT.txt [SEED]\n");
    return 2;
  }
  const long rows = std::atol(argv[1]);
  FILE* out = std::fopen(argv[2], "w");
  FILE* dnd = std::fopen(argv[3], "w");
  if (!out || !dnd) {
    std::perror("open");
    return 1;
  }
  std::mt19937_64 rng(argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 42);
  const char* first[] = {"Anil", "Bela", "Chandan", "Deepa", "Esha", "Farhan", "Gita", "Harsh", "Indu", "Jatin",
                         "Kiran", "Lata", "Manoj", "Nisha", "Om", "Priya", "राहुल", "सीमा", "अमित", "पूजा"};
  const char* last[] = {"Sharma", "Verma", "Iyer", "Khan", "Das", "Patel", "Rao", "Singh", "मिश्रा", "गुप्ता"};
  const char* cities[] = {"Mumbai", "Delhi", "Bengaluru", "Chennai", "Kolkata", "Pune", "Jaipur", "Lucknow", "Surat", "इंदौर"};
  const char* languages[] = {"hi", "en", "Hindi", "English", ""};
  std::fprintf(out, "Customer Name,Mobile No.,E-mail ID,City,Language,Tags\n");
  std::vector<std::string> issued;
  issued.reserve(static_cast<size_t>(rows));
  std::uniform_int_distribution<int> pct(0, 99);
  for (long i = 0; i < rows; ++i) {
    char digits[16];
    // Prefixes 70-99 are assigned mobile ranges.
    std::snprintf(digits, sizeof digits, "%d%08llu", 70 + static_cast<int>(rng() % 30),
                  static_cast<unsigned long long>(rng() % 100000000ULL));
    std::string national = digits;
    std::string phone;
    int kind = pct(rng);
    if (kind < 5) {  // invalid
      switch (rng() % 4) {
        case 0: phone = national.substr(0, 6); break;
        case 1: phone = national.substr(0, 5) + "OOOOO"; break;
        case 2: phone = national.substr(0, 1) + "." + national.substr(1, 5) + "E+09"; break;
        default: phone = "1800 " + national.substr(0, 3) + " " + national.substr(3, 4); break;
      }
    } else if (kind < 10 && !issued.empty()) {  // duplicate of an earlier number
      national = issued[rng() % issued.size()];
      phone = "+91 " + national;
    } else {
      issued.push_back(national);
      switch (rng() % 6) {
        case 0: phone = national; break;
        case 1: phone = "+91 " + national.substr(0, 5) + " " + national.substr(5); break;
        case 2: phone = "0" + national; break;
        case 3: phone = "91-" + national; break;
        case 4: phone = "+91-" + national.substr(0, 5) + "-" + national.substr(5); break;
        default: phone = "(+91) " + national.substr(0, 3) + "." + national.substr(3, 3) + "." + national.substr(6); break;
      }
      if (pct(rng) < 10) std::fprintf(dnd, "%s\n", national.c_str());
    }
    const char* f = first[rng() % 20];
    const char* l = last[rng() % 10];
    std::fprintf(out, "\"%s %s\",%s,lead%ld@example.in,%s,%s,%s\n", f, l, phone.c_str(), i, cities[rng() % 10],
                 languages[rng() % 5], (rng() % 4 == 0) ? "\"hot,diwali\"" : "");
  }
  std::fclose(out);
  std::fclose(dnd);
  return 0;
}
