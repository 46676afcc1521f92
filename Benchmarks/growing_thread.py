#!/usr/bin/env python3
"""Cuts a WordPress thread page into the pages it was as its comments arrived, one more comment each:
page k holds the k oldest comments (by their time). usage: growing_thread.py PAGE.html OUT_DIR"""
import os
import sys

import lxml.html

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
raw = open(src, encoding="utf-8").read()
doc = lxml.html.fromstring(raw)
items = doc.xpath('//li[starts-with(@id, "comment-")]')
order = sorted(items, key=lambda li: (li.xpath('.//time/@datetime') or [""])[0])
for k in range(1, len(order) + 1):
    keep = {li.get("id") for li in order[:k]}
    page = lxml.html.fromstring(raw)
    for li in page.xpath('//li[starts-with(@id, "comment-")]'):
        # Replies are younger than their parents, so dropping a comment drops no kept reply.
        if li.get("id") not in keep and li.getparent() is not None:
            li.drop_tree()
    with open(os.path.join(out, f"{k:03d}.html"), "w", encoding="utf-8") as f:
        f.write(lxml.html.tostring(page, encoding="unicode", doctype="<!DOCTYPE html>"))
print(len(order))
