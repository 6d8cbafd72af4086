#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "lib/i18n.h"

static void usage(FILE *out)
{
    fputs(_("Cách dùng: tdkt LỆNH [TÙY CHỌN]\n"
            "\n"
            "Quản lý thi đua, khen thưởng của Khối, Cụm thi đua.\n"
            "\n"
            "Lệnh:\n"
            "  serve [--listen ĐỊA_CHỈ:CỔNG] [--db URL]   chạy máy chủ web (mặc định 127.0.0.1:8080)\n"
            "  init [--demo] [--db URL]                   tạo cơ sở dữ liệu (và dữ liệu mẫu)\n"
            "  migrate [--db URL]                         áp dụng các bản nâng cấp cơ sở dữ liệu\n"
            "  import units|persons TỆP.xlsx [--db URL]   nhập danh sách từ Excel\n"
            "  export units|persons TỆP.xlsx [--db URL]   xuất danh sách ra Excel\n"
            "  backup TỆP [--db URL]                      sao lưu cơ sở dữ liệu SQLite\n"
            "\n"
            "URL: đường dẫn tệp SQLite (mặc định tdkt.db) hoặc postgres://…;\n"
            "biến môi trường TDKT_DB thay cho --db.\n"
            "\n"
            "Tùy chọn chung: --help, --version\n"),
          out);
}

int cli_main(int argc, char **argv)
{
    i18n_init(NULL);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return EXIT_OK_;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("tdkt %s\n", TDKT_VERSION);
        return EXIT_OK_;
    }
    fprintf(stderr, _("tdkt: lệnh không rõ \"%s\" (xem tdkt --help)\n"), argv[1]);
    return EXIT_USAGE;
}
