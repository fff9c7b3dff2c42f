from xietong.cli.app import main

main()
