"""uvloop echo server: the asyncio server's code on uvloop's event loop. Usage: echo_uvloop.py PORT"""
import asyncio
import sys

import uvloop

import echo_asyncio

if __name__ == "__main__":
    uvloop.install()
    asyncio.run(echo_asyncio.main(int(sys.argv[1])))
