# The invitation's and reminder's own words around the team's text.

mail-answer-button = Answer the survey
mail-one-click-hint = Choose an answer: the survey opens with it selected, ready to send.
mail-one-click-text = Answer with one click (the survey opens with your answer selected, ready to send):
mail-footer = You received this because you were invited to give feedback on { $feature }.
mail-unsubscribe = Unsubscribe from these surveys
mail-name-fallback = there
mail-community-fallback = your organisation
