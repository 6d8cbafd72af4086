/* The command line: tdkt serve | init | migrate | import | export | backup.
 *
 * Exit codes scripts can rely on: 0 success, 1 failure of the operation,
 * 2 bad usage, 3 bad input data (an import refused), 4 storage unreachable. */
#ifndef TDKT_CLI_CLI_H
#define TDKT_CLI_CLI_H

enum cli_exit {
    CLI_OK = 0,
    CLI_FAIL = 1,
    CLI_USAGE = 2,
    CLI_DATA = 3,
    CLI_STORAGE = 4,
};

int cli_main(int argc, char **argv);

#endif
