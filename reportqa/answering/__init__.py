"""Answering: question intent, evidence selection, extractive and generative answers, citations, abstention.

`types` is the leaf every part imports: result types and the backends' contract.
"""
