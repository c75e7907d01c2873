#!/bin/sh
echo scoped
