/*
 * capture_explain.c: error explanations for opening captures (see
 * capture_explain.h).  Only messages: no state, nothing kept open.
 */
#include "capture_explain.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "packet.h"

#define COMP "capture"

static void list_interfaces(char *buf, size_t size)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all = NULL;
	size_t off = 0;

	buf[0] = '\0';
	if (pcap_findalldevs(&all, errbuf) != 0) {
		snprintf(buf, size, "(cannot list them: %s)", errbuf);
		return;
	}
	for (pcap_if_t *d = all; d && off < size; d = d->next) {
		int n = snprintf(buf + off, size - off, "%s%s", off ? ", " : "", d->name);

		if (n < 0)
			break;
		off += (size_t)n;
	}
	if (!all)
		snprintf(buf, size, "(none found)");
	pcap_freealldevs(all);
}

void kitchen_capture_explain_activate(const char *dev, int rc, pcap_t *p)
{
	char list[1024];
	const char *msg = pcap_geterr(p);

	switch (rc) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		list_interfaces(list, sizeof(list));
		nd_error(COMP, "no such interface \"%s\"; available interfaces: %s (\"all\" captures on every one)",
			 dev, list);
		return;
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		nd_error(COMP,
			 "%s: permission denied (%s): capturing needs root, or the CAP_NET_RAW and CAP_NET_ADMIN capabilities (setcap cap_net_raw,cap_net_admin=eip nd-sniff)",
			 dev, msg && *msg ? msg : pcap_statustostr(rc));
		return;
	case PCAP_ERROR_IFACE_NOT_UP:
		nd_error(COMP, "%s: the interface is not up", dev);
		return;
	case PCAP_ERROR_RFMON_NOTSUP:
		nd_error(COMP, "%s: monitor mode is not supported", dev);
		return;
	case PCAP_WARNING_PROMISC_NOTSUP:
		nd_warn(COMP, "%s: promiscuous mode is not supported; capturing without it", dev);
		return;
	case PCAP_WARNING_TSTAMP_TYPE_NOTSUP:
		nd_warn(COMP, "%s: the requested time stamp type is not supported", dev);
		return;
	default:
		break;
	}
	if (rc < 0)
		nd_error(COMP, "%s: cannot start capturing: %s%s%s", dev, pcap_statustostr(rc),
			 msg && *msg ? ": " : "", msg && *msg ? msg : "");
	else
		nd_warn(COMP, "%s: %s%s%s", dev, pcap_statustostr(rc), msg && *msg ? ": " : "",
			msg && *msg ? msg : "");
}

int kitchen_capture_linktype_known(int linktype)
{
	return nd_packet_dlt_supported(linktype);
}

void kitchen_capture_explain_linktype(const char *name, int linktype)
{
	const char *lname = pcap_datalink_val_to_name(linktype);
	const char *desc = pcap_datalink_val_to_description(linktype);

	nd_warn(COMP,
		"%s: link type %s (%d, %s) is not one the kitchen can dissect; chefs will see its packets as not dissected",
		name, lname ? lname : "unknown", linktype, desc ? desc : "no description");
}
