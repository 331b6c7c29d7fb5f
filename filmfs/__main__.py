from filmfs.cli import main

main()
