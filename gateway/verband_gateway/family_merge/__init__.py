"""Merging two records of one family (the coordinator): the JSON API and the portal's forms
on the families page, beside each other. The cases service decides who may and keeps the
merge undoable until a coordinator confirms it."""
