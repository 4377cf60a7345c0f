// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The harness's own promises: a guest that hangs or crashes is reported,
 * with its syndrome, and never hangs the run.  These cases pass when the
 * harness catches the misbehaving guest; the message it would print in a
 * failing case is shown.
 */
#include "harness.h"

static bool contains(const char *s, const char *part)
{
	size_t n = strlen(part);

	for (; *s; s++)
		if (!strncmp(s, part, n))
			return true;
	return false;
}

TT_CASE(harness_stops_a_hung_guest_with_the_el2_timer, 0)
{
	static struct hv_vcpu v;
	struct guest_mailbox *mb;
	uint64_t start;
	enum hv_result r;

	t->h->watchdog_ms = 50;
	tt_guest_create(t, &v, "spinner", 0, false, HV_LAYOUT_STATE);
	mb = tt_mb(&v);
	hv_vcpu_load(t->h, &v);
	mb->cmd = GUEST_CMD_HANG;
	start = plat_counter();
	r = hv_run(t->h, &v, tt_random_entry(t, &v));
	plat_printf("    caught: %s\n", t->h->why);
	TT_CHECK_EQ(t, "hv_run() result", HV_HUNG, r);
	TT_CHECK(t, contains(t->h->why, "spinner") && contains(t->h->why, "ELR_EL2"),
		 "message names neither the guest nor ELR_EL2: %s", t->h->why);
	TT_CHECK(t, plat_counter() - start < plat_counter_freq(), "took more than 1 s to notice");
	hv_vcpu_put(t->h);
}

TT_CASE(harness_reports_a_crashed_guest_with_its_syndrome, 0)
{
	static struct hv_vcpu v;
	enum hv_result r;

	tt_guest_create(t, &v, "crasher", 0, false, HV_LAYOUT_STATE);
	hv_vcpu_load(t->h, &v);
	tt_mb(&v)->cmd = GUEST_CMD_CRASH;
	r = hv_run(t->h, &v, tt_random_entry(t, &v));
	plat_printf("    caught: %s\n", t->h->why);
	TT_CHECK_EQ(t, "hv_run() result", HV_CRASHED, r);
	/* A load from an unmapped address: level 1 translation fault, FAR the address. */
	TT_CHECK(t, contains(t->h->why, "ESR_EL1 0x96000005") && contains(t->h->why, "FAR_EL1 0x200000000"),
		 "unexpected report: %s", t->h->why);
	hv_vcpu_put(t->h);
}
