// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * An out-of-tree consumer: C side, linked against the installed archive.
 * Freestanding; the entry symbol only has to link, not run.
 */
#include <kvmmte/kvmmte.h>

void consumer_enter(struct kvmmte_state *guest, struct kvmmte_state *host);
void consumer_exit(struct kvmmte_state *guest, struct kvmmte_state *host, unsigned long hcr);
void _start(void);

static struct kvmmte_state host, guest;

void _start(void)
{
	if (kvmmte_init(0) >= 0) {
		kvmmte_vcpu_load(KVMMTE_HOST_VHE, &host, &guest);
		consumer_enter(&guest, &host);
		consumer_exit(&guest, &host, 0);
		kvmmte_switch_to_host_vhe(&guest, &host);
		kvmmte_vcpu_put(KVMMTE_HOST_VHE, &host, &guest);
	}
	for (;;)
		;
}
