from worldwire.cli import main

main()
