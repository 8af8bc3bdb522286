# Aidmap — the two Quick-start commands are `make run` and `make test`. Both install what a
# fresh Debian 12 machine (with Rust and Node) lacks, then build.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

APT_PACKAGES := libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev \
	libayatana-appindicator3-dev librsvg2-dev pkg-config xvfb xauth webkit2gtk-driver imagemagick \
	libxml2-utils poppler-utils zbar-tools syncthing
APP := target/debug/aidmap-desktop
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"

.PHONY: run test deps apt npm tauri-driver glyphs ui app app-e2e lint test-core test-bindings test-ui test-e2e test-fuzz test-crash-full bench bench-map clean

run: app
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
		echo "No display found: starting Aidmap under Xvfb (a virtual screen)."; \
		$(XVFB) ./$(APP); \
	else ./$(APP); fi

test: deps lint test-core test-bindings test-fuzz test-ui app-e2e test-e2e
	@echo "All Aidmap tests passed."

deps: apt npm tauri-driver

apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

npm: ui/node_modules/.installed

ui/node_modules/.installed: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	touch $@

tauri-driver:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --version ^2 --locked

# The map's label glyphs (committed under ui/public/glyphs): SDF PBFs from Debian's Noto Sans.
NOTO := /usr/share/fonts/truetype/noto
glyphs:
	@dpkg-query -W -f='$${Status}' fonts-noto-core 2>/dev/null | grep -q "install ok installed" || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends fonts-noto-core libfreetype-dev; }
	rm -rf ui/public/glyphs
	cargo run --release --features glyphs --bin aidmap-glyphs -- \
		$(NOTO)/NotoSans-Regular.ttf $(NOTO)/NotoSans-Bold.ttf $(NOTO)/NotoSans-Italic.ttf --out ui/public/glyphs

ui: npm
	cd ui && npm run build

# The desktop app with the built UI embedded (what `tauri build --debug --no-bundle` makes).
app: apt ui
	cargo build -p aidmap-desktop --features tauri/custom-protocol

# The same app with the end-to-end tests' hooks (feature `e2e`: a file-picker stand-in and a
# faster backup clock); only the desktop crate is rebuilt when switching between the two.
app-e2e: apt ui
	cargo build -p aidmap-desktop --features tauri/custom-protocol,e2e

# Formatting and clippy with warnings as errors over every crate (core, desktop with its e2e
# feature, e2e tests, fuzz targets); svelte-check's zero warnings are part of test-ui.
lint:
	cargo fmt --all --check
	cargo fmt --manifest-path fuzz/Cargo.toml --all --check
	cargo clippy --workspace --all-targets --features aidmap-desktop/e2e -- -D warnings
	cargo clippy --manifest-path fuzz/Cargo.toml --all-targets -- -D warnings

test-core:
	cargo test -p aidmap

# `cargo test` regenerates the TypeScript bindings; they must match what is committed.
test-bindings: test-core
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
		git diff --exit-code --stat -- ui/src/lib/bindings || { echo "ui/src/lib/bindings is out of date: commit the regenerated files"; exit 1; }; \
		untracked=$$(git ls-files --others --exclude-standard ui/src/lib/bindings); \
		[ -z "$$untracked" ] || { echo "new bindings not committed: $$untracked"; exit 1; }; \
	fi

# Every fuzz target for 20 s (stable toolchain with RUSTC_BOOTSTRAP=1; installs cargo-fuzz).
# Longer: `bash fuzz/run.sh 300`. See fuzz/README.md.
test-fuzz:
	bash fuzz/run.sh 20

# The full crash test: 200 SIGKILLs of a writer process (make test runs 20).
test-crash-full:
	AIDMAP_CRASH_KILLS=200 cargo test -p aidmap --test tests crash -- --nocapture

test-ui: npm
	cd ui && npm run check && npm test

test-e2e: app-e2e tauri-driver
	$(XVFB) cargo test -p aidmap-e2e -- --test-threads=1

bench:
	cargo bench -p aidmap --bench store
	cargo bench -p aidmap --bench region
	cargo bench -p aidmap --bench import
	cargo bench -p aidmap --bench vrp
	cargo bench -p aidmap --bench plan
	cargo bench -p aidmap --bench sheets
	cargo bench -p aidmap --bench sync
	$(MAKE) bench-map

# The map at scale in the real window (frames per second at 300, 10,000 and 100,000 households).
bench-map: app-e2e tauri-driver
	$(XVFB) cargo bench -p aidmap-e2e --bench map

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules artifacts
