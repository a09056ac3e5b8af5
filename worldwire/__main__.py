from worldwire.cli import main

# Guarded: the extraction pool's fork server may import the main module again.
if __name__ == "__main__":
    main()
