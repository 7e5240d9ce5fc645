# sitrep — build.  `make` builds build/sitrep; `make check` runs every test;
# `make SAN=1` builds with address + undefined sanitizers (in build-san/).
# Library sources: src/<module>/*.c (all but src/cli) -> libsitrep.a.
# Front end: src/cli/*.c -> sitrep.  Unit tests: tests/unit/test_*.c, one
# binary each.

CC      ?= cc
PKGS    := gumbo jansson libutf8proc sqlite3 zlib libmicrohttpd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Wpedantic \
           -Wno-unused-parameter -Werror=implicit-function-declaration -Isrc $(PKG_CFLAGS) -MMD -MP
LDLIBS  += $(PKG_LIBS) -lm

ifeq ($(SAN),1)
B       := build-san
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -O1
LDFLAGS += -fsanitize=address,undefined
else
B       := build
endif

LIB_SRC  := $(filter-out src/cli/%,$(wildcard src/*/*.c))
CLI_SRC  := $(wildcard src/cli/*.c)
TEST_SRC := $(wildcard tests/unit/test_*.c)
BENCH_SRC := $(wildcard bench/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/obj/%.o)
TESTS    := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)
BENCHES  := $(BENCH_SRC:bench/%.c=$(B)/bench/%)

.PHONY: all tests check clean bench data
all: $(B)/sitrep $(TESTS) $(BENCHES)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/libsitrep.a: $(LIB_OBJ)
	@mkdir -p $(B)
	rm -f $@ && ar rcs $@ $^

$(B)/sitrep: $(CLI_OBJ) $(B)/libsitrep.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(B)/libsitrep.a $(LDLIBS)

$(B)/tests/%: $(B)/obj/tests/unit/%.o $(B)/libsitrep.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(B)/libsitrep.a $(LDLIBS)

$(B)/bench/%: $(B)/obj/bench/%.o $(B)/libsitrep.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(B)/libsitrep.a $(LDLIBS)

tests: $(TESTS)

check: all
	bash tests/run.sh $(B)

clean:
	rm -rf build build-san

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

# Fuzz harnesses (clang + libFuzzer): `make fuzz`, then run e.g.
# build-fuzz/fuzz_text -max_total_time=60.  Not part of `make check`.
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_CFLAGS := -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isrc $(PKG_CFLAGS) \
               -fsanitize=fuzzer,address,undefined
.PHONY: fuzz
fuzz: $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
build-fuzz/%: tests/fuzz/%.c $(LIB_SRC)
	@mkdir -p build-fuzz
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(PKG_LIBS) -lm
