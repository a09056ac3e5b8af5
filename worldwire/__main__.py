from worldwire.cli import main

# Guarded: the extraction pool's spawned workers import this module again.
if __name__ == "__main__":
    main()
