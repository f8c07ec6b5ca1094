mail-answer-button = أجب عن الاستبيان
mail-one-click-hint = اختر إجابة: يُفتح الاستبيان وهي محددة، جاهزًا للإرسال.
mail-one-click-text = أجب بنقرة واحدة (يُفتح الاستبيان وإجابتك محددة، جاهزًا للإرسال):
mail-footer = وصلتك هذه الرسالة لأنك دُعيت لإبداء رأيك في { $feature }.
mail-unsubscribe = إلغاء الاشتراك في هذه الاستبيانات
mail-name-fallback = بك
mail-community-fallback = مؤسستك
