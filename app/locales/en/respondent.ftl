# The respondent pages' own words. Every language file has the same messages; a message a
# file lacks is shown in English.

eyebrow = Soundings survey
send = Send my answers
update = Update my answers
optional = (optional)
other = Other:
other-specify = Other, please specify
language = Language
close-panel = Close this survey for now
closed-heading = Closed
closed-text = { $days ->
    [one] We won't show this survey here again for a day.
   *[other] We won't show this survey here again for { $days } days.
  } Anything you answered is kept.

saved-default = Thank you! Your answers are saved.
saved-change = You can change your answers below until the survey closes.
follow-up-strong = One more question,
follow-up-text = based on your answer above.
preselected-strong = Your answer is selected below.
preselected-text = Check it and send the form to record it: nothing is stored until you do.
throttled-strong = Not sent yet.
throttled-text = This form was sent many times from your network in the last hour. Your answers are still below; please send them again later.
not-saved-strong = Not saved yet.
not-saved-text = We couldn't store your answers just now. They are still below; please send them again in a minute.
check-answers = Please check your answers

autosave-saving = Saving…
autosave-saved = Your answers so far are saved.
autosave-failed = Not saved yet. Your answers are kept on this page; send them when you are done.

seen-named = The team that invited you will see your answers with your name; you can change them with this link until the survey closes.
seen-anonymous = The team sees how many people answered, not who, and never which answers are yours: they are stored without your name and shown only together with other people's, so they can't be changed once sent.
seen-unknown = Your answers are stored without your name or address, so the team can't tell who sent them, and they can't be changed once sent.

loop-label = Tell me what you do with this
loop-hint = One email after the survey closes: what the team heard and what it is doing about it.
loop-hint-anonymous = One email after the survey closes: what the team heard and what it is doing about it. Your address is kept apart from your answers.

problem-choose-from-scale = Choose an answer from { $low } to { $high }.
problem-not-on-scale = Choose one of the answers from { $low } to { $high }.
problem-choose-option = Choose at least one option.
problem-not-an-option = Choose one of the options shown.
problem-write-other = Write your answer next to “Other”.
problem-write-answer = Write an answer.
problem-too-long = Keep it under { $max } characters (it has { $chars }).

link-unknown-heading = This link doesn't work
link-unknown-text = It may be incomplete or no longer valid. If you were invited to a survey, ask the person who sent it for a new link.
not-open-text = This survey isn't open yet. Please try your link again later.
closed-survey-text = This survey has closed and no longer takes answers. Thank you for your interest.
answered-default = Thank you! Your answers are in.
answered-anonymous = This survey is anonymous: your answers are stored without your name, so they can't be shown or changed.
public-stored = They were stored anonymously, without your name or address.

scale-csat-1 = Very unsatisfied
scale-csat-2 = Unsatisfied
scale-csat-3 = Neutral
scale-csat-4 = Satisfied
scale-csat-5 = Very satisfied
scale-nps-0 = Not at all likely
scale-nps-10 = Extremely likely
scale-ces-1 = Strongly disagree
scale-ces-2 = Disagree
scale-ces-3 = Somewhat disagree
scale-ces-4 = Neither agree nor disagree
scale-ces-5 = Somewhat agree
scale-ces-6 = Agree
scale-ces-7 = Strongly agree
scale-rating-1 = Poor
scale-rating-5 = Excellent

unsubscribed-title = You are unsubscribed
unsubscribed-now = { $who } will get no more survey invitations or reminders from us. Links to surveys you already received still work.
unsubscribed-undo = Undo: keep getting surveys
unsubscribed-already = { $who } gets no survey invitations or reminders from us.
unsubscribed-again = Get surveys again
resubscribed-title = Welcome back
resubscribed-text = { $who } will get survey invitations again.
resubscribed-undo = Unsubscribe after all
unsubscribe-title = Stop getting surveys?
unsubscribe-text = { $who } will get no more survey invitations or reminders from us.
unsubscribe-button = Unsubscribe
link-unknown-short = It may be incomplete or no longer valid.
went-wrong = Something went wrong
