import { rmSync } from "fs";

// Each run checks only the HTML its own specs kept (tests/valid-html.spec.ts).
export default function globalSetup() {
  rmSync("html", { recursive: true, force: true });
}
