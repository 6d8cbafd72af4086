/* tdkt: one binary, a command line whose `serve` command is the web server. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
