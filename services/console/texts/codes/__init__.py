"""The console's texts for the APIs' stable codes, one module per registry module of
:mod:`shared.codes`: the console shows a refusal, a field error or a message's reason by its
code, never by matching the API's English sentence."""
