#!/bin/sh
# Stands in for the VS Code executable: @vscode/test-electron's runTests({ vscodeExecutablePath }) spawns this
# with VS Code's command line (--extensionDevelopmentPath=…, --extensionTestsPath=…, the workspace folder and
# Electron-only flags) and reads its exit code. It runs the suite in code-server + Chromium instead
# (runInCodeServer.ts), because no Electron build of VS Code can be downloaded here. See docs/testing.md.
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$ROOT" || exit 1
exec node --import tsx test/integration/launcher/runInCodeServer.ts "$@"
