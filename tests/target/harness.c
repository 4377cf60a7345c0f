// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Checks, the host world's registers, guest helpers and the IRG model
 * (harness.h).  The runner is main.c.
 */
#include <kvmmte/sysreg-access.h>
#include "harness.h"

#define TT_MAX_FAILURES	10
#define TT_ABORTED	1

void tt_fail(struct tt *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t->failures++;
	plat_printf("    %s: %s:%d: ", t->c->name, file, line);
	va_start(ap, fmt);
	plat_vprintf(fmt, ap);
	va_end(ap);
	plat_putc('\n');
	if (t->failures >= TT_MAX_FAILURES) {
		plat_printf("    %s: %u failures, giving up\n", t->c->name, t->failures);
		tt_abort(t);
	}
}

void tt_abort(struct tt *t)
{
	(void)t;
	plat_try_abort(TT_ABORTED);
}

bool tt_check_eq(struct tt *t, const char *file, int line, const char *what,
		 uint64_t expected, uint64_t actual)
{
	if (expected == actual)
		return true;
	tt_fail(t, file, line, "%s: expected 0x%lx, got 0x%lx", what,
		(unsigned long)expected, (unsigned long)actual);
	return false;
}

bool tt_check_state(struct tt *t, const char *file, int line, const char *what,
		    unsigned int fields, const struct kvmmte_state *e,
		    const struct kvmmte_state *a)
{
	static const char *const names[] = { "RGSR_EL1", "GCR_EL1", "TFSR_EL1", "TFSRE0_EL1" };
	const uint64_t exp[] = { e->rgsr_el1, e->gcr_el1, e->tfsr_el1, e->tfsre0_el1 };
	const uint64_t act[] = { a->rgsr_el1, a->gcr_el1, a->tfsr_el1, a->tfsre0_el1 };
	bool ok = true;

	for (unsigned int i = 0; i < 4; i++) {
		if (!(fields & (1U << i)) || exp[i] == act[i])
			continue;
		tt_fail(t, file, line, "%s: %s expected 0x%lx, got 0x%lx", what, names[i],
			(unsigned long)exp[i], (unsigned long)act[i]);
		ok = false;
	}
	return ok;
}

struct kvmmte_state tt_random_state(struct tt *t)
{
	return (struct kvmmte_state){
		.rgsr_el1 = tt_rand(t) & KVMMTE_RGSR_EL1_VALID_MASK,
		.gcr_el1 = tt_rand(t) & KVMMTE_GCR_EL1_VALID_MASK,
		.tfsr_el1 = tt_rand(t) & KVMMTE_TFSR_VALID_MASK,
		.tfsre0_el1 = tt_rand(t) & KVMMTE_TFSRE0_EL1_VALID_MASK,
	};
}

void tt_host_read(struct tt *t, struct kvmmte_state *s)
{
	s->rgsr_el1 = kvmmte_read_rgsr_el1();
	s->gcr_el1 = kvmmte_read_gcr_el1();
	s->tfsr_el1 = t->h->mode == KVMMTE_HOST_VHE ? kvmmte_read_tfsr_el2() : kvmmte_read_tfsr_el1();
	s->tfsre0_el1 = kvmmte_read_tfsre0_el1();
}

void tt_host_write(struct tt *t, const struct kvmmte_state *s)
{
	kvmmte_write_rgsr_el1(s->rgsr_el1);
	kvmmte_write_gcr_el1(s->gcr_el1);
	if (t->h->mode == KVMMTE_HOST_VHE)
		kvmmte_write_tfsr_el2(s->tfsr_el1);
	else
		kvmmte_write_tfsr_el1(s->tfsr_el1);
	kvmmte_write_tfsre0_el1(s->tfsre0_el1);
	kvmmte_isb();
}

void tt_guest_cmd(struct tt *t, struct hv_vcpu *v, const struct hv_entry *e,
		  enum guest_cmd cmd, uint64_t arg0, uint64_t arg1, bool expect_exc)
{
	struct guest_mailbox *mb = tt_mb(v);
	enum hv_result r;

	mb->cmd = cmd;
	mb->arg[0] = arg0;
	mb->arg[1] = arg1;
	mb->expect_exceptions = expect_exc;
	r = hv_run(t->h, v, e);
	if (r != HV_OK) {
		tt_fail(t, __FILE__, __LINE__, "%s (command %d, entry %s)", t->h->why, cmd, e->name);
		tt_abort(t);
	}
}

const struct hv_entry *tt_random_entry(struct tt *t, const struct hv_vcpu *v)
{
	const struct hv_entry *e[8];
	unsigned int n = hv_entries_for(t->h, v, e, 8);

	if (!n) {
		tt_fail(t, __FILE__, __LINE__, "no entry path for %s", v->name);
		tt_abort(t);
	}
	return e[tt_below(t, n)];
}

void tt_guest_create(struct tt *t, struct hv_vcpu *v, const char *name, unsigned int slot,
		     bool mte, enum hv_layout layout)
{
	hv_vcpu_init(t->h, v, name, slot, mte, layout, tt_rand(t));
	hv_vcpu_load(t->h, v);
	tt_guest_cmd(t, v, tt_random_entry(t, v), GUEST_CMD_NOP, 0, 0, false);
	TT_REQUIRE(t, tt_mb(v)->booted, "guest %s did not boot", name);
	hv_vcpu_put(t->h);
}

struct guest_mailbox *tt_guest_exceptions(struct tt *t, struct hv_vcpu *v, enum kvmmte_host_mode mode,
					  const char *name, bool mte, enum guest_cmd cmd, uint64_t arg0,
					  unsigned int nr_exc)
{
	struct guest_mailbox *mb;

	hv_set_host_mode(t->h, mode);
	tt_guest_create(t, v, name, 0, mte, HV_LAYOUT_STATE);
	mb = tt_mb(v);
	hv_vcpu_load(t->h, v);
	tt_guest_cmd(t, v, tt_random_entry(t, v), cmd, arg0, 0, true);
	TT_REQUIRE(t, mb->nr_exc == nr_exc, "%s: guest %s, command %d: %u exceptions in the guest, expected %u",
		   tt_mode_name(mode), name, cmd, mb->nr_exc, nr_exc);
	return mb;
}

unsigned int tt_irg_model(uint64_t *rgsr, uint64_t exclude)
{
	unsigned int tag = *rgsr & 0xf, seed = (*rgsr >> 8) & 0xffff, offset = 0;

	exclude &= 0xffff;
	if (exclude == 0xffff)		/* every tag excluded: 0, RGSR unchanged */
		return 0;
	for (unsigned int i = 0; i < 4; i++) {		/* RandomTag() */
		unsigned int top = ((seed >> 5) ^ (seed >> 3) ^ (seed >> 2) ^ seed) & 1;

		seed = (top << 15) | (seed >> 1);
		offset |= top << i;
	}
	/* ChooseNonExcludedTag(start, offset, exclude) */
	if (!offset)
		while (exclude & (1U << tag))
			tag = (tag + 1) & 0xf;
	while (offset) {
		offset--;
		tag = (tag + 1) & 0xf;
		while (exclude & (1U << tag))
			tag = (tag + 1) & 0xf;
	}
	*rgsr = tag | ((uint64_t)seed << 8);
	return tag;
}

unsigned int tt_el2_irg(uint64_t *rgsr_after)
{
	uint64_t p;

	__asm__ volatile("irg %0, %1" : "=r"(p) : "r"(0UL));
	*rgsr_after = kvmmte_read_rgsr_el1();
	return (unsigned int)(p >> 56) & 0xf;
}

unsigned int tt_patch_sites(struct tt_patch_site *out, unsigned int max)
{
	extern const struct kvmmte_patch_site __start_kvmmte_patch_sites[],
		__stop_kvmmte_patch_sites[];
	unsigned int n = 0;

	/* Each field is an offset from itself (struct kvmmte_patch_site). */
	for (const struct kvmmte_patch_site *s = __start_kvmmte_patch_sites;
	     s < __stop_kvmmte_patch_sites; s++) {
		if (!s->site && !s->skip)
			continue;
		if (n < max) {
			out[n] = (struct tt_patch_site){
				(const uint32_t *)((uintptr_t)&s->site + (intptr_t)s->site),
				(const uint32_t *)((uintptr_t)&s->skip + (intptr_t)s->skip),
				NULL,
			};
			for (unsigned int i = 0; i < hv_nr_switch_fns; i++)
				if ((uintptr_t)out[n].insn == (uintptr_t)hv_switch_fns[i].fn)
					out[n].fn = &hv_switch_fns[i];
		}
		n++;
	}
	return n;
}

extern const struct kvmmte_patch_site __start_kvmmte_patch_sites_async[],
	__stop_kvmmte_patch_sites_async[];

const struct kvmmte_patch_site *tt_async_table_begin(void)
{
	return __start_kvmmte_patch_sites_async;
}

const struct kvmmte_patch_site *tt_async_table_end(void)
{
	return __stop_kvmmte_patch_sites_async;
}

unsigned int tt_async_sites(struct tt_site *out)
{
	unsigned int n = 0;

	for (const struct kvmmte_patch_site *s = __start_kvmmte_patch_sites_async;
	     s < __stop_kvmmte_patch_sites_async && n < TT_MAX_SITES; s++) {
		if (!s->site && !s->skip)
			continue;
		out[n].insn = (uint32_t *)((uintptr_t)&s->site + (intptr_t)s->site);
		out[n].skip = (const uint32_t *)((uintptr_t)&s->skip + (intptr_t)s->skip);
		out[n].orig = *out[n].insn;
		n++;
	}
	return n;
}

void tt_site_restore(const struct tt_site *s)
{
	*(volatile uint32_t *)s->insn = s->orig;
	__asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb"
			 : : "r"(s->insn) : "memory");
}
