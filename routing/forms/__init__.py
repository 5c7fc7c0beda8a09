"""Forms of the public pages (``intake``) and the words they show for registry data
(``vocabulary``). Import from the modules: the selectors use the vocabulary too."""
