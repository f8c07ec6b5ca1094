eyebrow = Enquête Soundings
send = Envoyer mes réponses
update = Mettre à jour mes réponses
optional = (facultatif)
other = Autre :
other-specify = Autre, veuillez préciser
language = Langue
close-panel = Fermer cette enquête pour l’instant
closed-heading = Fermée
closed-text = { $days ->
    [one] Nous n’afficherons plus cette enquête ici pendant un jour.
   *[other] Nous n’afficherons plus cette enquête ici pendant { $days } jours.
  } Vos réponses déjà données sont conservées.

saved-default = Merci ! Vos réponses sont enregistrées.
saved-change = Vous pouvez modifier vos réponses ci-dessous jusqu’à la clôture de l’enquête.
follow-up-strong = Encore une question,
follow-up-text = liée à votre réponse ci-dessus.
preselected-strong = Votre réponse est sélectionnée ci-dessous.
preselected-text = Vérifiez-la et envoyez le formulaire pour l’enregistrer : rien n’est conservé avant.
throttled-strong = Pas encore envoyé.
throttled-text = Ce formulaire a été envoyé de nombreuses fois depuis votre réseau au cours de la dernière heure. Vos réponses sont toujours ci-dessous ; veuillez les renvoyer plus tard.
not-saved-strong = Pas encore enregistré.
not-saved-text = Nous n’avons pas pu enregistrer vos réponses pour le moment. Elles sont toujours ci-dessous ; veuillez les renvoyer dans une minute.
check-answers = Veuillez vérifier vos réponses

autosave-saving = Enregistrement…
autosave-saved = Vos réponses jusqu’ici sont enregistrées.
autosave-failed = Pas encore enregistré. Vos réponses restent sur cette page ; envoyez-les quand vous avez terminé.

seen-named = L’équipe qui vous a invité verra vos réponses avec votre nom ; vous pouvez les modifier avec ce lien jusqu’à la clôture de l’enquête.
seen-anonymous = L’équipe voit combien de personnes ont répondu, pas qui, et jamais quelles réponses sont les vôtres : elles sont enregistrées sans votre nom et montrées seulement avec celles des autres, elles ne peuvent donc plus être modifiées une fois envoyées.
seen-unknown = Vos réponses sont enregistrées sans votre nom ni votre adresse : l’équipe ne peut pas savoir qui les a envoyées, et elles ne peuvent plus être modifiées une fois envoyées.

loop-label = Dites-moi ce que vous en faites
loop-hint = Un e-mail après la clôture de l’enquête : ce que l’équipe a entendu et ce qu’elle en fait.
loop-hint-anonymous = Un e-mail après la clôture de l’enquête : ce que l’équipe a entendu et ce qu’elle en fait. Votre adresse est conservée à part de vos réponses.

problem-choose-from-scale = Choisissez une réponse de { $low } à { $high }.
problem-not-on-scale = Choisissez l’une des réponses de { $low } à { $high }.
problem-choose-option = Choisissez au moins une option.
problem-not-an-option = Choisissez l’une des options proposées.
problem-write-other = Écrivez votre réponse à côté de « Autre ».
problem-write-answer = Écrivez une réponse.
problem-too-long = Restez sous { $max } caractères (il y en a { $chars }).

link-unknown-heading = Ce lien ne fonctionne pas
link-unknown-text = Il est peut-être incomplet ou n’est plus valide. Si vous avez été invité à une enquête, demandez un nouveau lien à la personne qui vous l’a envoyé.
not-open-text = Cette enquête n’est pas encore ouverte. Veuillez réessayer votre lien plus tard.
closed-survey-text = Cette enquête est close et n’accepte plus de réponses. Merci de votre intérêt.
answered-default = Merci ! Vos réponses sont bien reçues.
answered-anonymous = Cette enquête est anonyme : vos réponses sont enregistrées sans votre nom, elles ne peuvent donc être ni affichées ni modifiées.
public-stored = Elles ont été enregistrées anonymement, sans votre nom ni votre adresse.

scale-csat-1 = Très insatisfait
scale-csat-2 = Insatisfait
scale-csat-3 = Neutre
scale-csat-4 = Satisfait
scale-csat-5 = Très satisfait
scale-nps-0 = Pas du tout probable
scale-nps-10 = Très probable
scale-ces-1 = Pas du tout d’accord
scale-ces-2 = Pas d’accord
scale-ces-3 = Plutôt pas d’accord
scale-ces-4 = Ni d’accord ni pas d’accord
scale-ces-5 = Plutôt d’accord
scale-ces-6 = D’accord
scale-ces-7 = Tout à fait d’accord
scale-rating-1 = Mauvais
scale-rating-5 = Excellent

unsubscribed-title = Vous êtes désabonné
unsubscribed-now = { $who } ne recevra plus d’invitations ni de rappels d’enquête de notre part. Les liens vers les enquêtes déjà reçues fonctionnent toujours.
unsubscribed-undo = Annuler : continuer à recevoir des enquêtes
unsubscribed-already = { $who } ne reçoit pas d’invitations ni de rappels d’enquête de notre part.
unsubscribed-again = Recevoir à nouveau des enquêtes
resubscribed-title = Bon retour
resubscribed-text = { $who } recevra de nouveau des invitations à des enquêtes.
resubscribed-undo = Se désabonner finalement
unsubscribe-title = Ne plus recevoir d’enquêtes ?
unsubscribe-text = { $who } ne recevra plus d’invitations ni de rappels d’enquête de notre part.
unsubscribe-button = Se désabonner
link-unknown-short = Il est peut-être incomplet ou n’est plus valide.
went-wrong = Une erreur s’est produite
