/*
 * memtrend, the capture-only build (./configure --enable-capture-only):
 * "memtrend capture ..." and nothing else -- no analysis, charts or CSV,
 * so none of libproc2, libcsv, zlib or gnuplot.  The archive it writes
 * is analysed by a full build (docs/archive.md).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], cmd_capture_entry.name) == 0)
		return cmd_capture_entry.run(argc - 1, argv + 1);
	if (argc > 1 &&
	    (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("memtrend %s (capture only)\n", PACKAGE_VERSION);
		return 0;
	}
	if (argc > 1 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		cmd_capture_entry.usage(stdout);
		return 0;
	}
	fprintf(stderr,
		"memtrend: this is the capture-only build: run 'memtrend "
		"capture -p PID -o FILE.mtc' here, and analyze, plot, report "
		"or export FILE.mtc with a full memtrend\n");
	return CMD_EXIT_ERROR;
}
