/* pcap2txt.c: prints a pcap file's packets as `tcpdump -n -r FILE` does.
 *
 * usage: pcap2txt [-t | -ttttt] [--nano] FILE.pcap
 *
 * One line per packet on stdout, formatted by tcpprint.c. -t leaves the time
 * out, -ttttt prints the time since the first packet, --nano prints
 * nanoseconds. Unlike tcpdump there is no "reading from file" banner.
 * Exit status 1 if the file cannot be read or the usage is wrong.
 */
#include "tcpprint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *progname = "pcap2txt";

static void usage(void)
{
	fprintf(stderr, "usage: %s [-t | -ttttt] [--nano] FILE.pcap\n",
		progname);
	exit(1);
}

int main(int argc, char **argv)
{
	struct tcpprint_opts opts = { TCPPRINT_TIME_ABS, 0, 0 };
	char errbuf[PCAP_ERRBUF_SIZE], line[4096];
	const char *file = NULL;
	struct pcap_pkthdr *h;
	const unsigned char *bytes;
	struct tcpprint *tp = NULL;
	pcap_t *pc = NULL;
	int i, r, status = 1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-t"))
			opts.time = TCPPRINT_TIME_NONE;
		else if (!strcmp(argv[i], "-ttttt"))
			opts.time = TCPPRINT_TIME_SINCE_FIRST;
		else if (!strcmp(argv[i], "--nano"))
			opts.nano = 1;
		else if (!strcmp(argv[i], "--") && i + 2 == argc && !file)
			file = argv[++i];
		else if ((argv[i][0] == '-' && argv[i][1]) || file)
			usage();
		else
			file = argv[i];
	}
	if (!file)
		usage();

	/* As tcpdump: ask libpcap for the precision we print, so it scales
	 * the file's time stamps (truncating ns to us) for us. */
	pc = pcap_open_offline_with_tstamp_precision(file,
		opts.nano ? PCAP_TSTAMP_PRECISION_NANO :
			    PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	if (!pc) {
		fprintf(stderr, "%s: cannot open '%s': %s\n", progname, file,
			errbuf);
		return 1;
	}
	tp = tcpprint_new(pcap_datalink(pc),
			  pcap_get_tstamp_precision(pc) ==
				  PCAP_TSTAMP_PRECISION_NANO, &opts);
	if (!tp) {
		fprintf(stderr, "%s: out of memory\n", progname);
		goto out;
	}
	while ((r = pcap_next_ex(pc, &h, &bytes)) == 1) {
		tcpprint_packet(tp, h, bytes, line, sizeof line);
		puts(line);
	}
	if (r == PCAP_ERROR) {
		fflush(stdout);
		fprintf(stderr, "%s: cannot read '%s': %s\n", progname, file,
			pcap_geterr(pc));
		goto out;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("pcap2txt: cannot write to stdout");
		goto out;
	}
	status = 0;
out:
	tcpprint_free(tp);
	if (pc)
		pcap_close(pc);
	return status;
}
