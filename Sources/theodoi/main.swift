import TheodoiCLI

await TheodoiMain.run()
