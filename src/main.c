/* main.c - entry point; everything else lives in libkec.a. */
#include "config.h"

#include "cli.h"

int
main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
