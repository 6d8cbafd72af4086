/* tdkt: one binary, a command line whose `serve` command is the web server. */
#include <libxml/parser.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
    /* libxml2 must be initialised once before threads use it (imports). */
    xmlInitParser();
    int rc = cli_main(argc, argv);
    xmlCleanupParser();
    return rc;
}
