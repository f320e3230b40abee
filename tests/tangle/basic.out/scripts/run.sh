#!/bin/sh
  set -- a b
  echo "$@"
echo done
