/* The command line: tdkt serve | init | migrate | import | export | backup.
 *
 * Exit codes scripts can rely on: 0 success, 1 failure of the operation,
 * 2 bad usage, 3 bad input data (an import refused), 4 storage unreachable. */
#ifndef TDKT_CLI_CLI_H
#define TDKT_CLI_CLI_H

enum cli_exit {
    EXIT_OK_ = 0,
    EXIT_FAIL = 1,
    EXIT_USAGE = 2,
    EXIT_DATA = 3,
    EXIT_STORAGE = 4,
};

int cli_main(int argc, char **argv);

#endif
