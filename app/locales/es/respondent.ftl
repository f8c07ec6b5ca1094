eyebrow = Encuesta de Soundings
send = Enviar mis respuestas
update = Actualizar mis respuestas
optional = (opcional)
other = Otro:
other-specify = Otro, por favor especifique
language = Idioma
close-panel = Cerrar esta encuesta por ahora
closed-heading = Cerrada
closed-text = { $days ->
    [one] No volveremos a mostrar esta encuesta aquí durante un día.
   *[other] No volveremos a mostrar esta encuesta aquí durante { $days } días.
  } Lo que ya respondió se conserva.

saved-default = ¡Gracias! Sus respuestas están guardadas.
saved-change = Puede cambiar sus respuestas abajo hasta que la encuesta se cierre.
follow-up-strong = Una pregunta más,
follow-up-text = según su respuesta de arriba.
preselected-strong = Su respuesta está seleccionada abajo.
preselected-text = Revísela y envíe el formulario para registrarla: no se guarda nada hasta entonces.
throttled-strong = Aún no enviado.
throttled-text = Este formulario se envió muchas veces desde su red en la última hora. Sus respuestas siguen abajo; vuelva a enviarlas más tarde.
not-saved-strong = Aún no guardado.
not-saved-text = No pudimos guardar sus respuestas en este momento. Siguen abajo; vuelva a enviarlas en un minuto.
check-answers = Revise sus respuestas

autosave-saving = Guardando…
autosave-saved = Sus respuestas hasta ahora están guardadas.
autosave-failed = Aún no guardado. Sus respuestas se mantienen en esta página; envíelas cuando termine.

seen-named = El equipo que le invitó verá sus respuestas con su nombre; puede cambiarlas con este enlace hasta que la encuesta se cierre.
seen-anonymous = El equipo ve cuántas personas respondieron, no quiénes, y nunca qué respuestas son suyas: se guardan sin su nombre y solo se muestran junto con las de otras personas, por lo que no se pueden cambiar una vez enviadas.
seen-unknown = Sus respuestas se guardan sin su nombre ni su dirección, así que el equipo no puede saber quién las envió, y no se pueden cambiar una vez enviadas.

loop-label = Cuéntenme qué hacen con esto
loop-hint = Un correo cuando la encuesta se cierre: lo que el equipo escuchó y lo que hará al respecto.
loop-hint-anonymous = Un correo cuando la encuesta se cierre: lo que el equipo escuchó y lo que hará al respecto. Su dirección se guarda aparte de sus respuestas.

problem-choose-from-scale = Elija una respuesta de { $low } a { $high }.
problem-not-on-scale = Elija una de las respuestas de { $low } a { $high }.
problem-choose-option = Elija al menos una opción.
problem-not-an-option = Elija una de las opciones mostradas.
problem-write-other = Escriba su respuesta junto a «Otro».
problem-write-answer = Escriba una respuesta.
problem-too-long = No supere los { $max } caracteres (tiene { $chars }).

link-unknown-heading = Este enlace no funciona
link-unknown-text = Puede estar incompleto o haber dejado de ser válido. Si le invitaron a una encuesta, pida un enlace nuevo a quien se lo envió.
not-open-text = Esta encuesta aún no está abierta. Vuelva a probar su enlace más tarde.
closed-survey-text = Esta encuesta se ha cerrado y ya no acepta respuestas. Gracias por su interés.
answered-default = ¡Gracias! Sus respuestas se han recibido.
answered-anonymous = Esta encuesta es anónima: sus respuestas se guardan sin su nombre, por lo que no se pueden mostrar ni cambiar.
public-stored = Se guardaron de forma anónima, sin su nombre ni su dirección.

scale-csat-1 = Muy insatisfecho
scale-csat-2 = Insatisfecho
scale-csat-3 = Neutral
scale-csat-4 = Satisfecho
scale-csat-5 = Muy satisfecho
scale-nps-0 = Nada probable
scale-nps-10 = Muy probable
scale-ces-1 = Totalmente en desacuerdo
scale-ces-2 = En desacuerdo
scale-ces-3 = Algo en desacuerdo
scale-ces-4 = Ni de acuerdo ni en desacuerdo
scale-ces-5 = Algo de acuerdo
scale-ces-6 = De acuerdo
scale-ces-7 = Totalmente de acuerdo
scale-rating-1 = Malo
scale-rating-5 = Excelente

unsubscribed-title = Se ha dado de baja
unsubscribed-now = { $who } no recibirá más invitaciones ni recordatorios de encuestas de nuestra parte. Los enlaces a encuestas que ya recibió siguen funcionando.
unsubscribed-undo = Deshacer: seguir recibiendo encuestas
unsubscribed-already = { $who } no recibe invitaciones ni recordatorios de encuestas de nuestra parte.
unsubscribed-again = Volver a recibir encuestas
resubscribed-title = Bienvenido de nuevo
resubscribed-text = { $who } volverá a recibir invitaciones a encuestas.
resubscribed-undo = Darse de baja de todos modos
unsubscribe-title = ¿Dejar de recibir encuestas?
unsubscribe-text = { $who } no recibirá más invitaciones ni recordatorios de encuestas de nuestra parte.
unsubscribe-button = Darse de baja
link-unknown-short = Puede estar incompleto o haber dejado de ser válido.
went-wrong = Algo salió mal
