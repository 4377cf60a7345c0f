// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * libFuzzer target: sequences of VMM operations (get, set, list, reset,
 * change of VM) against a shadow copy of the state.  Invariants:
 *  - every return value is exactly the documented one (reference model);
 *  - a rejected set leaves the state byte-identical;
 *  - an accepted set is returned unchanged by the next get, and only
 *    values within the register's defined bits are ever accepted;
 *  - a failing get or list writes nothing to its output.
 */
#include "fuzz_common.h"

static const uint64_t known_ids[4] = {
	0x603000000013c085ULL, 0x603000000013c086ULL, 0x603000000013c2b0ULL, 0x603000000013c2b1ULL,
};

static uint64_t pick_id(struct fuzz_in *in, int *idx)
{
	unsigned int sel = (unsigned int)fuzz_take(in, 1);
	uint64_t id;

	switch (sel & 3) {
	case 0:
		id = fuzz_take(in, 8);
		break;
	case 1:	/* a known id with one bit flipped */
		id = known_ids[(sel >> 2) & 3] ^ (1ULL << (fuzz_take(in, 1) & 63));
		break;
	default:
		id = known_ids[(sel >> 2) & 3];
		break;
	}
	for (*idx = 0; *idx < 4; (*idx)++)
		if (known_ids[*idx] == id)
			return id;
	*idx = -1;
	return id;
}

static int fuzz_one(struct fuzz_in *in)
{
	struct kvmmte_vm_config vm;
	struct kvmmte_state s, shadow;
	bool vm_valid = fuzz_pick_vm(in, &vm);
	unsigned int steps = 0, i;

	for (i = 0; i < 4; i++)
		fuzz_set_field(&s, i, fuzz_take(in, 8) & fuzz_valid[i]);
	shadow = s;

	while (in->n && steps++ < 64) {
		unsigned int op = (unsigned int)fuzz_take(in, 1) % 5;
		int ret, want, idx;
		bool mte = vm.mte_level >= 2;

		switch (op) {
		case 0: {	/* get */
			uint64_t id = pick_id(in, &idx), v = 0xfeedULL;

			ret = kvmmte_vmm_get_reg(&vm, &s, id, &v);
			want = !vm_valid ? -KVMMTE_EINVAL : idx < 0 ? -KVMMTE_ENOENT :
			       !mte || (idx >= 2 && !vm.async) ? -KVMMTE_EPERM : 0;
			FUZZ_CHECK(ret == want, "get %#llx: ret %d want %d", (unsigned long long)id, ret, want);
			FUZZ_CHECK(ret ? v == 0xfeedULL : v == fuzz_field(&shadow, (unsigned int)idx),
				   "get %#llx: value %#llx", (unsigned long long)id, (unsigned long long)v);
			break;
		}
		case 1: {	/* set */
			uint64_t id = pick_id(in, &idx), v = fuzz_take(in, 8), got = 0;

			if (idx >= 0 && (fuzz_take(in, 1) & 1))
				v &= fuzz_valid[idx];	/* mostly-valid values too */
			ret = kvmmte_vmm_set_reg(&vm, &s, id, v);
			want = !vm_valid ? -KVMMTE_EINVAL : idx < 0 ? -KVMMTE_ENOENT :
			       !mte || (idx >= 2 && !vm.async) ? -KVMMTE_EPERM :
			       (v & ~fuzz_valid[idx]) ? -KVMMTE_ERANGE : 0;
			FUZZ_CHECK(ret == want, "set %#llx = %#llx: ret %d want %d",
				   (unsigned long long)id, (unsigned long long)v, ret, want);
			if (!ret) {
				fuzz_set_field(&shadow, (unsigned int)idx, v);
				FUZZ_CHECK(kvmmte_vmm_get_reg(&vm, &s, id, &got) == 0 && got == v,
					   "get after set: %#llx != %#llx", (unsigned long long)got,
					   (unsigned long long)v);
			}
			break;
		}
		case 2: {	/* list */
			uint64_t out[5] = { 1, 1, 1, 1, 1 };
			size_t n = fuzz_take(in, 1) % 6;
			int count = vm.async ? 4 : 2;	/* no TFSR registers without async */
			bool give = fuzz_take(in, 1) & 1;

			ret = kvmmte_vmm_reg_list(&vm, give ? out : NULL, n);
			want = !vm_valid ? -KVMMTE_EINVAL : !mte ? 0 :
			       give && n < (size_t)count ? -KVMMTE_ENOSPC : count;
			FUZZ_CHECK(ret == want, "list of %zu: ret %d want %d", n, ret, want);
			if (ret > 0 && give)
				for (i = 0; i < (unsigned int)count; i++)
					FUZZ_CHECK(out[i] == known_ids[i], "list[%u]", i);
			for (i = ret > 0 && give ? (unsigned int)count : 0; i < 5; i++)
				FUZZ_CHECK(out[i] == 1, "list wrote out[%u] on ret %d", i, ret);
			break;
		}
		case 3:		/* reset */
			ret = kvmmte_vcpu_reset(&vm, &s);
			FUZZ_CHECK(ret == (vm_valid ? 0 : -KVMMTE_EINVAL), "reset: ret %d", ret);
			if (!ret) {
				static const uint64_t pattern[4] = { 0xa5a505, 0x1a5a5, 0, 0 };

				for (i = 0; i < 4; i++)
					fuzz_set_field(&shadow, i, mte ? pattern[i] : 0);
			}
			break;
		default:	/* another VM (a config the same vcpu could be moved to) */
			vm_valid = fuzz_pick_vm(in, &vm);
			break;
		}
		FUZZ_CHECK(memcmp(&s, &shadow, sizeof(s)) == 0, "state differs from shadow after op %u", op);
		for (i = 0; i < 4; i++)
			FUZZ_CHECK(!(fuzz_field(&s, i) & ~fuzz_valid[i]), "field %u holds RES0 bits", i);
	}
	return 0;
}
