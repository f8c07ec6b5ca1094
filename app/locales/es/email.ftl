mail-answer-button = Responder la encuesta
mail-one-click-hint = Elija una respuesta: la encuesta se abre con ella seleccionada, lista para enviar.
mail-one-click-text = Responda con un clic (la encuesta se abre con su respuesta seleccionada, lista para enviar):
mail-footer = Recibe este mensaje porque se le invitó a opinar sobre { $feature }.
mail-unsubscribe = Darse de baja de estas encuestas
mail-name-fallback = a todos
mail-community-fallback = su organización
