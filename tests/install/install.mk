# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# make install into a scratch DESTDIR, then build and link a tiny
# out-of-tree consumer with nothing but pkg-config against that tree.

INSTALL_TEST_DIR := $(O)/tests/install

.PHONY: check-install
check-install:
	@echo "== make install DESTDIR=... PREFIX=/usr, then a pkg-config consumer"
	$(Q)rm -rf $(INSTALL_TEST_DIR) && mkdir -p $(INSTALL_TEST_DIR)
	$(Q)$(MAKE) --no-print-directory O=$(INSTALL_TEST_DIR)/build PREFIX=/usr \
		DESTDIR=$(abspath $(INSTALL_TEST_DIR))/root install >/dev/null
	$(Q)sh tests/install/consumer.sh "$(abspath $(INSTALL_TEST_DIR))" "$(CROSS_COMPILE)"

CHECK_TARGETS += check-install
