"""`python -m bot.standin`: serve the strict Bot API stand-in on this computer (see `http`)."""

import argparse

import uvicorn

from bot.standin.http import create_standin_app
from bot.standin.server import BotApiStandin, FloodLimits


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bot.standin", description="A strict Bot API stand-in over HTTP"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", help="the one bot token it answers (default: any)")
    parser.add_argument(
        "--local",
        action="store_true",
        help="as telegram-bot-api --local: webhooks over plain HTTP on any port, no 20 MB limit",
    )
    parser.add_argument("--no-flood-limits", action="store_true", help="never answer 429")
    args = parser.parse_args()
    standin = BotApiStandin(
        token=args.token, local=args.local, flood=None if args.no_flood_limits else FloodLimits()
    )
    print(f"Bot API stand-in at http://{args.host}:{args.port}", flush=True)
    uvicorn.run(create_standin_app(standin), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
