#!/bin/sh
# writes next to itself, so a test can see that it ran
echo ran > "$(dirname "$0")/ran.txt"
