// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * libFuzzer target: the EC 0x18 decoder, the trap handler, and UNDEF
 * injection, against an independent reference model written from the
 * Arm ARM.  Invariants:
 *  - the result is exactly the reference model's;
 *  - anything but EMULATED leaves the state and X0..X30 byte-identical;
 *  - EMULATED changes exactly one thing: X[Rt] for an MRS (none for XZR),
 *    the named field, masked to its defined bits, for an MSR;
 *  - the decoder agrees with the reference decoding or rejects, and never
 *    writes its output when it rejects;
 *  - UNDEF injection lands on one of the four vectors in EL1h with DAIF
 *    masked, or rejects without writing.
 */
#include "fuzz_common.h"

enum ref_reg { R_NONE, R_RGSR, R_GCR, R_TFSR, R_TFSRE0, R_TFSR12, R_GMID };

/* The MTE registers' encodings, op0 3 for all, written out from the Arm ARM. */
static const struct {
	uint8_t op1, crn, crm, op2;
	enum ref_reg reg;
} ref_regs[] = {
	{ 0, 1, 0, 5, R_RGSR },
	{ 0, 1, 0, 6, R_GCR },
	{ 0, 5, 6, 0, R_TFSR },
	{ 0, 5, 6, 1, R_TFSRE0 },
	{ 5, 5, 6, 0, R_TFSR12 },
	{ 1, 0, 0, 4, R_GMID },
};

static enum ref_reg ref_classify(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
	size_t i;

	for (i = 0; op0 == 3 && i < sizeof(ref_regs) / sizeof(ref_regs[0]); i++)
		if (ref_regs[i].op1 == op1 && ref_regs[i].crn == crn && ref_regs[i].crm == crm &&
		    ref_regs[i].op2 == op2)
			return ref_regs[i].reg;
	return R_NONE;
}

/* Encodings worth steering towards: the MTE registers and their neighbours. */
static const uint8_t interesting[][5] = {
	{ 3, 0, 1, 0, 5 }, { 3, 0, 1, 0, 6 }, { 3, 0, 5, 6, 0 }, { 3, 0, 5, 6, 1 },
	{ 3, 5, 5, 6, 0 }, { 3, 1, 0, 0, 4 }, { 3, 4, 5, 6, 0 }, { 3, 0, 1, 0, 7 },
};

static uint64_t make_esr(struct fuzz_in *in)
{
	unsigned int mode = (unsigned int)fuzz_take(in, 1);
	uint64_t esr;

	switch (mode & 3) {
	case 0:
		return fuzz_take(in, 8);		/* anything */
	case 1:						/* EC 0x18, random ISS */
		esr = (0x18ULL << 26) | (1ULL << 25) | (fuzz_take(in, 4) & 0x3fffff);
		break;
	default: {					/* a register we care about */
		const uint8_t *e = interesting[(mode >> 2) % (sizeof(interesting) / 5)];
		uint64_t rt = fuzz_take(in, 1) & 31, dir = (mode >> 5) & 1;

		esr = (0x18ULL << 26) | (1ULL << 25) | ((uint64_t)e[0] << 20) |
		      ((uint64_t)e[4] << 17) | ((uint64_t)e[1] << 14) | ((uint64_t)e[2] << 10) |
		      (rt << 5) | ((uint64_t)e[3] << 1) | dir;
		break;
	}
	}
	if (mode & 0x80)				/* one stray bit anywhere */
		esr ^= 1ULL << (fuzz_take(in, 1) & 63);
	return esr;
}

static void check_decoder(uint64_t esr)
{
	struct kvmmte_sysreg_access a, ref;
	bool wellformed = (esr >> 32) == 0 && ((esr >> 26) & 0x3f) == 0x18 &&
			  ((esr >> 25) & 1) && ((esr >> 22) & 7) == 0;
	int ret;

	memset(&a, 0xa5, sizeof(a));
	ref = a;
	ret = kvmmte_esr_decode_sysreg(esr, &a);
	if (!wellformed) {
		FUZZ_CHECK(ret == -KVMMTE_EINVAL, "esr %#llx ret %d", (unsigned long long)esr, ret);
		FUZZ_CHECK(memcmp(&a, &ref, sizeof(a)) == 0, "output written on rejection");
		return;
	}
	FUZZ_CHECK(ret == 0, "esr %#llx ret %d", (unsigned long long)esr, ret);
	FUZZ_CHECK(a.op0 == ((esr >> 20) & 3) && a.op2 == ((esr >> 17) & 7) &&
		   a.op1 == ((esr >> 14) & 7) && a.crn == ((esr >> 10) & 15) &&
		   a.rt == ((esr >> 5) & 31) && a.crm == ((esr >> 1) & 15) &&
		   a.is_read == (esr & 1), "esr %#llx decoded wrongly", (unsigned long long)esr);
}

static void check_undef(struct fuzz_in *in, const struct kvmmte_vm_config *vm, bool vm_valid)
{
	uint64_t elr = fuzz_take(in, 8), spsr = fuzz_take(in, 8), vbar = fuzz_take(in, 8);
	uint64_t sctlr = fuzz_take(in, 8);
	struct kvmmte_guest_exception e, ref;
	unsigned int m = spsr & 0x1f;
	int ret, want;

	memset(&e, 0x5a, sizeof(e));
	ref = e;
	ret = kvmmte_undef_prepare(vm, elr, spsr, vbar, sctlr, &e);
	if (!vm_valid)
		want = -KVMMTE_EINVAL;
	else if (m == 0x0 || m == 0x4 || m == 0x5 || m == 0x10)
		want = 0;
	else if (m == 0x11 || m == 0x12 || m == 0x13 || m == 0x17 || m == 0x1b || m == 0x1f)
		want = -KVMMTE_EOPNOTSUPP;	/* AArch32 EL1 modes; Hyp, Monitor, reserved: EINVAL */
	else
		want = -KVMMTE_EINVAL;
	FUZZ_CHECK(ret == want, "spsr %#llx: ret %d want %d", (unsigned long long)spsr, ret, want);
	if (ret) {
		FUZZ_CHECK(memcmp(&e, &ref, sizeof(e)) == 0, "output written on rejection");
		return;
	}
	FUZZ_CHECK(e.esr_el1 == 0x02000000 && e.elr_el1 == elr && e.spsr_el1 == spsr, "saved values");
	FUZZ_CHECK(e.elr_el2 == (vbar & ~0x7ffULL) + (m == 0 ? 0x400 : m == 4 ? 0 : m == 5 ? 0x200 : 0x600),
		   "vector %#llx", (unsigned long long)e.elr_el2);
	{
		uint64_t want_pstate = 0x3c5 | (spsr & 0xf0000000);

		if ((spsr & (1ULL << 22)) || !(sctlr & (1ULL << 23)))
			want_pstate |= 1ULL << 22;			/* PAN */
		if (sctlr & (1ULL << 44))
			want_pstate |= 1ULL << 12;			/* SSBS = DSSBS */
		if (vm->mte_level >= 2)
			want_pstate |= 1ULL << 25;			/* TCO */
		if (spsr & (1ULL << (m == 0x10 ? 21 : 24)))
			want_pstate |= 1ULL << 24;			/* DIT */
		FUZZ_CHECK(e.spsr_el2 == want_pstate, "spsr %#llx sctlr %#llx: pstate %#llx want %#llx",
			   (unsigned long long)spsr, (unsigned long long)sctlr,
			   (unsigned long long)e.spsr_el2, (unsigned long long)want_pstate);
	}
}

static int fuzz_one(struct fuzz_in *in)
{
	struct kvmmte_vm_config vm;
	struct kvmmte_state s, s0;
	uint64_t gpr[31], gpr0[31], esr, val = 0;
	bool vm_valid = fuzz_pick_vm(in, &vm), has_mte, read, flags_ok, nv2;
	unsigned int flags = (unsigned int)fuzz_take(in, 1), i, rt;
	enum ref_reg reg;
	int ret, want, slot = -1;

	flags = flags & 0x80 ? flags : flags & 7;
	esr = make_esr(in);
	for (i = 0; i < 4; i++)
		fuzz_set_field(&s, i, fuzz_take(in, 8));
	for (i = 0; i < 31; i++)
		gpr[i] = 0x0101010101010101ULL * i ^ fuzz_take(in, 1);
	s0 = s;
	memcpy(gpr0, gpr, sizeof(gpr));

	check_decoder(esr);
	ret = kvmmte_handle_sysreg_trap(&vm, esr, flags, &s, gpr);

	/* The reference model. */
	/* at most one VEL2 flag; NV2 only with one */
	nv2 = flags & KVMMTE_TRAP_NV2;
	flags &= ~(unsigned int)KVMMTE_TRAP_NV2;
	flags_ok = flags <= 2 && (!nv2 || flags != 0);
	has_mte = vm.mte_level >= 2;
	read = esr & 1;
	rt = (esr >> 5) & 31;
	reg = ref_classify((esr >> 20) & 3, (esr >> 14) & 7, (esr >> 10) & 15, (esr >> 1) & 15,
			   (esr >> 17) & 7);
	if (!vm_valid || !flags_ok)
		want = -KVMMTE_EINVAL;
	else if ((esr >> 32) || ((esr >> 26) & 0x3f) != 0x18 || !((esr >> 25) & 1) ||
		 ((esr >> 22) & 7) || reg == R_NONE)
		want = KVMMTE_TRAP_NOT_HANDLED;
	else if (reg == R_GMID)
		want = !read ? KVMMTE_TRAP_NOT_HANDLED : !has_mte ? KVMMTE_TRAP_UNDEF :
		       KVMMTE_TRAP_EMULATED;
	else if (reg == R_TFSR12 && flags == 0)
		want = KVMMTE_TRAP_NOT_HANDLED;
	else if (reg == R_TFSR12 && (flags != KVMMTE_TRAP_VEL2_E2H || !has_mte))
		want = KVMMTE_TRAP_UNDEF;
	else if (reg == R_TFSR && flags == KVMMTE_TRAP_VEL2_E2H && !nv2)
		want = KVMMTE_TRAP_NOT_HANDLED;
	else if (!has_mte)
		want = KVMMTE_TRAP_UNDEF;
	else if (!vm.async && (reg == R_TFSR || reg == R_TFSRE0 || reg == R_TFSR12))
		want = KVMMTE_TRAP_UNDEF;	/* no FEAT_MTE_ASYNC: no TFSR registers */
	else if (nv2 && (reg == R_TFSR12 || reg == R_TFSR))
		/* TFSR_EL12 never traps under NV2; TFSR_EL1 only while a lazy VM's ATA is clear */
		want = reg == R_TFSR && (vm.flags & KVMMTE_VM_LAZY) ? KVMMTE_TRAP_ENABLE :
		       KVMMTE_TRAP_NOT_HANDLED;
	else if ((vm.flags & KVMMTE_VM_LAZY) && reg != R_TFSR12)	/* EL12 traps whatever ATA says */
		want = KVMMTE_TRAP_ENABLE;
	else
		want = KVMMTE_TRAP_EMULATED;
	FUZZ_CHECK(ret == want, "esr %#llx flags %#x%s level %u vmflags %#x: ret %d want %d",
		   (unsigned long long)esr, flags, nv2 ? " | NV2" : "", vm.mte_level, vm.flags, ret, want);

	if (ret == KVMMTE_TRAP_EMULATED) {
		switch (reg) {
		case R_RGSR: slot = 0; break;
		case R_GCR: slot = 1; break;
		case R_TFSR: case R_TFSR12: slot = 2; break;
		case R_TFSRE0: slot = 3; break;
		default: slot = -1; val = vm.gmid_bs; break;
		}
		if (read) {
			if (slot >= 0)
				val = fuzz_field(&s0, (unsigned int)slot);
			if (rt != 31)
				gpr0[rt] = val;
		} else {
			FUZZ_CHECK(slot >= 0, "write emulated to a read-only register");
			fuzz_set_field(&s0, (unsigned int)slot,
				       (rt == 31 ? 0 : gpr0[rt]) & fuzz_valid[slot]);
		}
	}
	FUZZ_CHECK(memcmp(&s, &s0, sizeof(s)) == 0, "state differs from the model (ret %d)", ret);
	FUZZ_CHECK(memcmp(gpr, gpr0, sizeof(gpr)) == 0, "registers differ from the model (ret %d)", ret);

	check_undef(in, &vm, vm_valid);
	return 0;
}
